/**
 * Account and extension endpoints of the emulator: account read, extension
 * list with filters and paging, extension read, the extension's phone numbers,
 * and the company's phone numbers (admins only).
 * @module
 */
import type { Ctx } from "./_context.ts";
import type { JsonBody } from "./_http.ts";
import { apiError } from "./_http.ts";
import { checkAccount, extensionOf } from "./_lookup.ts";
import { paginate } from "./_paging.ts";
import type { Params, Route } from "./_router.ts";
import type { Extension, PhoneNumber } from "./state.ts";

const API = "/restapi/v1.0";

function accountUri(ctx: Ctx): string {
  return `${ctx.origin}${API}/account/${ctx.state.account.id}`;
}

function extensionRecord(ctx: Ctx, e: Extension) {
  const contact = e.type === "User"
    ? {
      firstName: e.firstName,
      lastName: e.lastName,
      company: ctx.state.account.companyName,
      jobTitle: e.jobTitle,
      department: e.department,
      email: e.email,
      emailAsLoginName: true,
    }
    : { firstName: e.name, company: ctx.state.account.companyName };
  return {
    uri: `${accountUri(ctx)}/extension/${e.id}`,
    id: e.id,
    extensionNumber: e.extensionNumber,
    contact,
    name: e.name,
    type: e.type,
    status: e.status,
    permissions: { admin: { enabled: !!e.admin }, internationalCalling: { enabled: false } },
    profileImage: { uri: `${accountUri(ctx)}/extension/${e.id}/profile-image` },
    hidden: false,
    creationTime: e.creationTime,
  };
}

function readAccount(ctx: Ctx, params: Params): JsonBody {
  checkAccount(ctx, params);
  const { account, extensions } = ctx.state;
  const operator = extensions.find((e) => e.extensionNumber === "101") ?? extensions[0];
  return {
    uri: accountUri(ctx),
    id: account.id,
    serviceInfo: {
      uri: `${accountUri(ctx)}/service-info`,
      brand: {
        id: "1210",
        name: "RingCentral",
        homeCountry: { id: "1", uri: `${ctx.origin}${API}/dictionary/country/1` },
      },
      servicePlan: { id: "8228", name: "RingEX Premium", edition: "Premium" },
    },
    operator: {
      uri: `${accountUri(ctx)}/extension/${operator.id}`,
      id: operator.id,
      extensionNumber: operator.extensionNumber,
    },
    mainNumber: account.mainNumber,
    status: "Confirmed",
    setupWizardState: "Completed",
    signupInfo: { signupState: ["AccountConfirmed"] },
    regionalSettings: {
      homeCountry: {
        id: "1",
        uri: `${ctx.origin}${API}/dictionary/country/1`,
        name: "United States",
        isoCode: "US",
        callingCode: "1",
      },
      timezone: {
        id: "58",
        uri: `${ctx.origin}${API}/dictionary/timezone/58`,
        name: "US/Pacific",
        description: "Pacific Time (US & Canada)",
        bias: "-480",
      },
      language: {
        id: "1033",
        uri: `${ctx.origin}${API}/dictionary/language/1033`,
        name: "English (United States)",
        localeCode: "en-US",
      },
      greetingLanguage: { id: "1033", name: "English (United States)", localeCode: "en-US" },
      formattingLocale: { id: "1033", name: "English (United States)", localeCode: "en-US" },
      timeFormat: "12h",
      currency: { id: 1, code: "USD", name: "US Dollar", symbol: "$" },
    },
    federated: false,
    cfid: "acme-robotics",
    limits: { freeSoftPhoneLinesPerExtension: 1, meetingSize: 100, maxMonitoredExtensionsPerUser: 100 },
    creationTime: account.creationTime,
  };
}

function listExtensions(ctx: Ctx, params: Params): JsonBody {
  checkAccount(ctx, params);
  const q = ctx.url.searchParams;
  const types = q.getAll("type");
  const statuses = q.getAll("status");
  const number = q.get("extensionNumber");
  const emails = q.getAll("email").map((e) => e.toLowerCase());
  const matching = ctx.state.extensions.filter((e) =>
    (!types.length || types.includes(e.type)) &&
    (!statuses.length || statuses.includes(e.status)) &&
    (!number || e.extensionNumber === number) &&
    (!emails.length || (e.email !== undefined && emails.includes(e.email)))
  );
  const page = paginate(ctx, matching);
  return { ...page, records: page.records.map((e) => extensionRecord(ctx, e)) };
}

function readExtension(ctx: Ctx, params: Params): JsonBody {
  const extension = extensionOf(ctx, params);
  const own = extension.id === ctx.session!.extensionId;
  const sms = ctx.state.phoneNumbers.some((p) => p.extensionId === extension.id && p.features.includes("SmsSender"));
  return {
    ...extensionRecord(ctx, extension),
    account: { uri: accountUri(ctx), id: String(ctx.state.account.id) },
    regionalSettings: {
      homeCountry: { id: "1", name: "United States", isoCode: "US", callingCode: "1" },
      timezone: { id: "58", name: "US/Pacific", description: "Pacific Time (US & Canada)", bias: "-480" },
      language: { id: "1033", name: "English (United States)", localeCode: "en-US" },
      greetingLanguage: { id: "1033", name: "English (United States)", localeCode: "en-US" },
      formattingLocale: { id: "1033", name: "English (United States)", localeCode: "en-US" },
      timeFormat: "12h",
    },
    setupWizardState: "Completed",
    ...(own
      ? {
        serviceFeatures: [
          { featureName: "SMS", enabled: sms, ...(sms ? {} : { reason: "ExtensionLimitation" }) },
          { featureName: "SMSReceiving", enabled: true },
          { featureName: "MMS", enabled: sms },
          { featureName: "Pager", enabled: true },
        ],
      }
      : {}),
  };
}

/** The JSON record of a phone number. */
function phoneNumberRecord(ctx: Ctx, p: PhoneNumber) {
  return {
    id: p.id,
    uri: `${accountUri(ctx)}/phone-number/${p.id}`,
    phoneNumber: p.phoneNumber,
    country: { id: "1", uri: `${ctx.origin}${API}/dictionary/country/1`, name: "United States" },
    paymentType: p.paymentType,
    location: p.location,
    type: p.type,
    usageType: p.usageType,
    status: "Normal",
    primary: p.primary,
    features: p.features,
  };
}

function listPhoneNumbers(ctx: Ctx, params: Params): JsonBody {
  const extension = extensionOf(ctx, params, true);
  const q = ctx.url.searchParams;
  const usage = q.getAll("usageType");
  const status = q.get("status");
  const numbers = ctx.state.phoneNumbers.filter((p) =>
    p.extensionId === extension.id && (!usage.length || usage.includes(p.usageType)) &&
    (!status || status === "Normal")
  );
  const page = paginate(ctx, numbers);
  return { ...page, records: page.records.map((p) => phoneNumberRecord(ctx, p)) };
}

/** Usage types of numbers that belong to the company, not to one extension. */
const COMPANY_USAGE = new Set(["MainCompanyNumber", "CompanyNumber", "CompanyFaxNumber"]);

/** `GET /account/~/phone-number`: every number of the account, with the extension it is assigned to. */
function listAccountPhoneNumbers(ctx: Ctx, params: Params): JsonBody {
  checkAccount(ctx, params);
  const me = ctx.state.extensions.find((e) => e.id === ctx.session!.extensionId);
  if (!me?.admin) {
    throw apiError(403, {
      errorCode: "CMN-408",
      message: "In order to call this API endpoint, user needs to have [ReadCompanyPhoneNumbers] permission for " +
        "requested resource.",
    });
  }
  const q = ctx.url.searchParams;
  const usage = q.getAll("usageType");
  const payment = q.getAll("paymentType");
  const statuses = q.getAll("status");
  const extensionStatus = q.get("extensionStatus");
  const owner = (p: PhoneNumber) => ctx.state.extensions.find((e) => e.id === p.extensionId);
  const numbers = ctx.state.phoneNumbers.filter((p) =>
    (!usage.length || usage.includes(p.usageType)) &&
    (!payment.length || payment.includes(p.paymentType)) &&
    (!statuses.length || statuses.includes("Normal")) &&
    (!extensionStatus || (!COMPANY_USAGE.has(p.usageType) && owner(p)?.status === extensionStatus))
  );
  const page = paginate(ctx, numbers);
  return {
    ...page,
    records: page.records.map((p) => {
      const { country: _, features: __, ...record } = phoneNumberRecord(ctx, p);
      const e = owner(p);
      return COMPANY_USAGE.has(p.usageType) || !e ? record : {
        ...record,
        extension: {
          id: e.id,
          uri: `${accountUri(ctx)}/extension/${e.id}`,
          extensionNumber: e.extensionNumber,
          name: e.name,
        },
      };
    }),
  };
}

/** Account and extension routes. */
export const accountRoutes: Route<Ctx>[] = [
  {
    method: "GET",
    pattern: `${API}/account/:accountId`,
    group: "Light",
    permission: "ReadAccounts",
    handler: readAccount,
  },
  {
    method: "GET",
    pattern: `${API}/account/:accountId/extension`,
    group: "Medium",
    permission: "ReadAccounts",
    handler: listExtensions,
  },
  {
    method: "GET",
    pattern: `${API}/account/:accountId/extension/:extensionId`,
    group: "Light",
    permission: "ReadAccounts",
    handler: readExtension,
  },
  {
    method: "GET",
    pattern: `${API}/account/:accountId/extension/:extensionId/phone-number`,
    group: "Light",
    permission: "ReadAccounts",
    handler: listPhoneNumbers,
  },
  {
    method: "GET",
    pattern: `${API}/account/:accountId/phone-number`,
    group: "Heavy",
    permission: "ReadAccounts",
    handler: listAccountPhoneNumbers,
  },
];
