"""The presentation package: its public names, imported on first use."""

import subprocess
import sys

import foui_analysis.presentation as presentation


def test_every_public_name_resolves_to_its_module():
    assert sorted(presentation.__all__) == sorted(presentation._EXPORTS)
    for name in presentation.__all__:
        value = getattr(presentation, name)
        module = presentation._EXPORTS[name]
        assert value is getattr(sys.modules[f"foui_analysis.presentation.{module}"], name)


def test_importing_the_pdf_printer_does_not_import_pandas():
    # The runner's finisher starts Chromium first; the package's tables and charts wait.
    code = "import sys, foui_analysis.presentation.pdf; print('pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
