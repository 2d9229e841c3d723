"""Runs python/README.md's "In a notebook" example in a Jupyter kernel, cell by cell.

    python notebook.py README.md WORK_DIR

The cells are the README's own ```python blocks of that section, so the test follows the
README. They run through nbclient in a real IPython kernel (the interpreter running this, so
the venv the wheel went into), where an event loop is already running, as in Jupyter; the
notebook is saved with its outputs as WORK_DIR/notebook.ipynb. Fails on any cell error or when
the report's files are not listed.
"""

import pathlib
import re
import sys

import nbformat
from nbclient import NotebookClient

readme, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
text = readme.read_text(encoding="utf-8")
section = re.search(r"^### In a notebook\n(.*?)(?=^#)", text, re.S | re.M)
if not section:
    sys.exit(f"{readme}: no '### In a notebook' section")
cells = re.findall(r"```python\n(.*?)```", section.group(1), re.S)
if len(cells) < 2:
    sys.exit(f"{readme}: expected the notebook's python cells, found {len(cells)}")

nb = nbformat.v4.new_notebook()
nb.cells = [nbformat.v4.new_code_cell(c.strip()) for c in cells]
work.mkdir(parents=True, exist_ok=True)
client = NotebookClient(
    nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(work)}}
)
try:
    client.execute()
finally:
    nbformat.write(nb, work / "notebook.ipynb")

for i, cell in enumerate(nb.cells, 1):
    print(f"--- cell {i}\n{cell.source}")
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            print(out["text"], end="")
        elif "data" in out:
            print(out["data"].get("text/plain", ""))

# The first cell's last line (report.files) shows the extracted files: four of them.
shown = "".join(
    o["data"].get("text/plain", "") for o in nb.cells[0].get("outputs", []) if "data" in o
)
if shown.count("PosixPath(") < 4 or "JKDAY-" not in shown:
    sys.exit(f"the notebook did not list the report's files: {shown!r}")
print("notebook: ok")
