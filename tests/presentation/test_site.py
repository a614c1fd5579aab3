"""The index page's module: light to import, as the runner writes the index after each report."""

import subprocess
import sys


def test_writing_the_index_page_does_not_import_nbconvert():
    # The index shares the report template's directory, not its converter: a one-report run
    # writes the index after publishing, and importing nbconvert there took about 0.35 s.
    code = (
        "import sys\n"
        "from foui_analysis.presentation import site\n"
        "page = site.index_html([])\n"
        "assert '<html' in page and site.stylesheet() in page, page[:200]\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'nbconvert'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
