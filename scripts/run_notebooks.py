"""Runs notebooks headless on Deno's Jupyter kernel; fails on any cell error.

    /usr/bin/python3 scripts/run_notebooks.py notebooks/*.ipynb

Each notebook runs top to bottom in its own folder (as Jupyter runs it), in
memory: the files are not rewritten, so no output (or path, or token) is
committed. A cell that raises fails the run with the cell's source line and
the error. Deno's kernel sometimes reports "idle" just before a cell's last
output, so a missing output is tolerated; the run prints how many cells gave
one. Exit code 0 when every notebook ran, 1 otherwise.
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
    with_output = sum(1 for c in cells if c.get("outputs"))
    if with_output == 0:
        print(f"notebooks: FAILED {path}: no cell produced output")
        return False
    print(f"notebooks: ok {path}: {len(cells)} code cells, {with_output} with output")
    return True


if __name__ == "__main__":
    paths = sys.argv[1:]
    if not paths:
        print("usage: /usr/bin/python3 scripts/run_notebooks.py NOTEBOOK.ipynb ...")
        sys.exit(2)
    results = [run(p) for p in paths]
    sys.exit(0 if all(results) else 1)
