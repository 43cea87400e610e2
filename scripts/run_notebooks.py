"""Runs notebooks headless on Deno's Jupyter kernel; fails on any cell error.

    /usr/bin/python3 scripts/run_notebooks.py notebooks/*.ipynb

Each notebook runs top to bottom in its own folder (as Jupyter runs it), in
memory: the files are not rewritten, so no output (or path, or token) is
committed. A cell that raises fails the run with the cell's source line and
the error. Every code cell must show something (its last expression: the
notebooks end their cells with a value, such as lines(…), since Deno's kernel
can report a cell done before text it printed with console.log arrives, and
Jupyter then drops that text); a cell tagged "no-output" may show nothing. A
cell without output fails the run, naming it. Exit code 0 when every notebook
ran, 1 otherwise.
"""
import os
import sys

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
except ImportError:
    print("notebooks: Jupyter's runner is missing: apt-get install python3-nbclient python3-ipykernel "
          "(and run it with /usr/bin/python3)")
    sys.exit(2)


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
    print(f"notebooks: ok {path}: {len(cells)} code cells, every one with its output")
    return True


if __name__ == "__main__":
    paths = sys.argv[1:]
    if not paths:
        print("usage: /usr/bin/python3 scripts/run_notebooks.py NOTEBOOK.ipynb ...")
        sys.exit(2)
    results = [run(p) for p in paths]
    sys.exit(0 if all(results) else 1)
