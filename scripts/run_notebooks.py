"""Runs notebooks headless on Deno's Jupyter kernel; fails on any cell error.

    python3 scripts/run_notebooks.py notebooks/*.ipynb

Each notebook runs top to bottom in its own folder (as Jupyter runs it), in
memory: the files are not rewritten, so no output (or path, or token) is
committed. A cell that raises fails the run with the cell's source line and
the error. Every code cell must show something (its last expression: the
notebooks end their cells with a value, such as lines(…), since Deno's kernel
can report a cell done before text it printed with console.log arrives, and
Jupyter then drops that text); a cell tagged "no-output" may show nothing. A
cell without output fails the run, naming it. show() (lib/display.ts) tags
what it shows (metadata {"rc_show": true}): a cell that calls show( and has
no such output, or that ends with show(…) and whose last output is not one,
lost what it showed (the kernel reported it done first) and fails the run.
Exit code 0 when every notebook ran, 1 otherwise.
"""
import os
import re
import sys

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
except ImportError:
    print("notebooks: Jupyter's runner is missing: apt-get install python3-nbclient python3-ipykernel "
          "(and run this with the python3 that has them)")
    sys.exit(2)


SHOW_CALL = re.compile(r"\bshow\(")
LAST_IS_SHOW = re.compile(r"^(await\s+)?show\(")


def ends_with_show(source):
    """Whether the cell's last statement (its last line that is not indented or closing) is a show(…) call."""
    starts = [line for line in source.strip().splitlines()
              if line.strip() and not line[0].isspace() and line[0] not in ")]}" and not line.startswith("//")]
    return bool(starts) and bool(LAST_IS_SHOW.match(starts[-1]))


def shown_by_show(output):
    """Whether an output is one show() sent (its display_data, tagged)."""
    return output.get("output_type") == "display_data" and output.get("metadata", {}).get("rc_show") is True


def lost_show(cell):
    """Whether a cell calls show( but lacks its tagged output (or, ending with show(…), its last output is not one)."""
    if "no-output" in cell.metadata.get("tags", []) or not SHOW_CALL.search(cell.source):
        return False
    outputs = cell.get("outputs", [])
    if not any(shown_by_show(o) for o in outputs):
        return True
    return ends_with_show(cell.source) and not shown_by_show(outputs[-1])


def run(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="deno",
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    try:
        client.execute()
    except CellExecutionError as e:
        first = str(e).strip().splitlines()
        print(f"notebooks: FAILED {path}: {first[-1] if first else e}")
        return False
    except Exception as e:  # the kernel died, or did not start
        print(f"notebooks: FAILED {path}: {type(e).__name__}: {e}")
        return False
    cells = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        print(f"notebooks: FAILED {path}: {errors[0].get('ename')}: {errors[0].get('evalue')}")
        return False
    silent = [i for i, c in enumerate(nb.cells)
              if c.cell_type == "code" and not c.get("outputs") and "no-output" not in c.metadata.get("tags", [])]
    if silent:
        first = nb.cells[silent[0]].source.strip().splitlines()
        print(f"notebooks: FAILED {path}: cell {silent[0]} showed nothing ({first[0] if first else 'empty'} …); "
              f"{len(silent)} such cell(s): end each with a value to show, or tag it no-output")
        return False
    lost = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and lost_show(c)]
    if lost:
        first = nb.cells[lost[0]].source.strip().splitlines()
        print(f"notebooks: FAILED {path}: cell {lost[0]} calls show( but what it showed never arrived "
              f"({first[0] if first else 'empty'} …): the kernel reported the cell done before its output; "
              f"{len(lost)} such cell(s)")
        return False
    print(f"notebooks: ok {path}: {len(cells)} code cells, every one with its output")
    return True


if __name__ == "__main__":
    paths = sys.argv[1:]
    if not paths:
        print("usage: python3 scripts/run_notebooks.py NOTEBOOK.ipynb ...")
        sys.exit(2)
    results = [run(p) for p in paths]
    sys.exit(0 if all(results) else 1)
