"""What a notebook changes in the runner's process, undone before the next one runs.

Method
------
:func:`isolated_state` saves, before a notebook, matplotlib's ``rcParams``, every pandas option,
the working directory, the environment variables and ``sys.path``, and puts them back after it,
so the next notebook in this process starts as this one did (``tests/reports/test_isolation.py``).
The inputs a notebook loads from the process cache are its own copies
(:mod:`foui_analysis.handout`), and the engine resets Python's warning filters for every
notebook.

Known limits: logging handlers, IPython extensions or event callbacks and a module's globals are
not restored. Reading every pandas option needs pandas' private option registry; without it
:func:`can_isolate` says so once on standard error and is false, and the engine runs every
notebook in a fresh kernel instead (slower, but isolated by the process).
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator


def _pandas_option_names() -> list[str] | None:
    """Every pandas option's name, or None when pandas no longer has the (private) registry."""
    try:
        from pandas._config.config import _registered_options

        return sorted(_registered_options)
    except (ImportError, AttributeError):
        return None


_fallback_said = False


def _say_fallback(what: str) -> None:
    global _fallback_said
    if not _fallback_said:
        print(
            f"foui: {what}; varje rapport körs därför i en egen Python-kärna (långsammare men "
            "isolerad)",
            file=sys.__stderr__,
        )
        _fallback_said = True


def can_isolate() -> bool:
    """True when the process state a notebook may change can be saved and restored here."""
    if "pandas" in sys.modules and _pandas_option_names() is None:
        _say_fallback("pandas saknar registret över inställningar (pandas._config)")
        return False
    return True


@contextlib.contextmanager
def isolated_state() -> Iterator[None]:
    """Restore, after a notebook, what it may have changed in the process.

    matplotlib's ``rcParams``, every pandas option, the working directory, the environment
    variables and ``sys.path`` are saved before and put back after, so the next notebook in
    this process starts as this one did (``tests/reports/test_isolation.py``). Python's warning
    filters are reset by the engine for every notebook anyway.
    """
    cwd = os.getcwd()
    environ = dict(os.environ)
    path = list(sys.path)
    rc = None
    if "matplotlib" in sys.modules:
        rc = dict(sys.modules["matplotlib"].rcParams)
    options = None
    if "pandas" in sys.modules:
        import pandas as pd

        with warnings.catch_warnings():  # deprecated options warn when read (pandas 3)
            warnings.simplefilter("ignore")
            options = {name: pd.get_option(name) for name in _pandas_option_names() or ()}
    try:
        yield
    finally:
        os.chdir(cwd)
        if dict(os.environ) != environ:
            for name in set(os.environ) - set(environ):
                del os.environ[name]
            for name, value in environ.items():
                if os.environ.get(name) != value:
                    os.environ[name] = value
        sys.path[:] = path
        if rc is not None:
            params = sys.modules["matplotlib"].rcParams
            changed = {k: v for k, v in rc.items() if params.get(k) != v}
            # dict.update: no validation and no backend switch, as matplotlib's rc_context does
            dict.update(params, changed)
        if options:
            import pandas as pd

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for name, value in options.items():
                    try:
                        if pd.get_option(name) != value:
                            pd.set_option(name, value)
                    except Exception:  # an option that cannot be set back is left as it is
                        continue
