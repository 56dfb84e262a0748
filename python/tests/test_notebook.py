"""The example notebook runs top to bottom (nbclient), and its output holds the page
inline. The page is written to test-artifacts/python for the browser tests, which open
it in headless Chromium and read a number from it."""

import nbclient
import nbformat


def test_the_example_notebook_runs_and_shows_the_page(root, artifacts):
    nb = nbformat.read(root / "examples" / "backprop.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(root)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    page = code[0].outputs[0]["data"]["text/html"]
    assert page.startswith("<iframe srcdoc=")
    # ∂E_total/∂w5 of the tutorial's first round.
    assert code[1].outputs[0]["data"]["text/plain"].startswith("0.0821670405")
    assert code[2].outputs[0]["data"]["text/plain"] == "[('right', []), ('wrong', ['added_update', 'sign_error'])]"
    assert float(code[3].outputs[0]["data"]["text/plain"]) > 0.9
    (artifacts / "notebook-output.html").write_text(
        f"<!doctype html><html><head><meta charset=\"utf-8\"><title>notebook output</title></head><body>{page}</body></html>\n"
    )
