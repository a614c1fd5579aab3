"""What the state isolation around each notebook costs, measured on a real run (``make bench``).

Every report of the agreement period is made in this process, one after the other, by the
runner's in-process engine (:func:`foui_analysis.runner.execute.run_job`, as a worker of
``foui run all`` makes them), with the isolation step timed around each notebook:

* ``isolated_state``: saving matplotlib's ``rcParams``, every pandas option, the working
  directory, the environment and ``sys.path`` before the notebook and restoring them after
  (:mod:`foui_analysis.runner.isolation`);
* ``handout``: handing out the cached inputs and analysis basis to the notebook as its own
  copies (:mod:`foui_analysis.handout`; nested hand-outs are counted once).

Prints one JSON object: ``isolation_s`` (both, summed over every report), ``isolated_state_s``,
``handout_s``, ``reports`` and ``serial_s`` (the whole serial run). ``bench/bench.py`` compares
``isolation_s`` with ``runner_s``, the wall-clock time of ``foui run all --force`` with its
workers: the sum over all reports against the parallel run's wall clock overstates the share,
so the figure is an upper bound.

Usage: ``python bench/isolation_cost.py OUT_DIR``.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path


def measure(out: Path) -> dict[str, float]:
    from foui_analysis import handout as handout_module
    from foui_analysis.paths import REPO_ROOT
    from foui_analysis.runner import engine
    from foui_analysis.runner.execute import run_job
    from foui_analysis.runner.jobs import all_jobs

    spent = {"isolated_state_s": 0.0, "handout_s": 0.0}
    isolated_state = engine.isolated_state
    handout = handout_module.handout
    depth = [0]

    @contextlib.contextmanager
    def timed_isolated_state() -> Iterator[None]:
        start = time.perf_counter()
        manager = isolated_state()
        manager.__enter__()
        spent["isolated_state_s"] += time.perf_counter() - start
        try:
            yield
        finally:
            start = time.perf_counter()
            manager.__exit__(None, None, None)
            spent["isolated_state_s"] += time.perf_counter() - start

    def timed_handout(obj):
        depth[0] += 1
        start = time.perf_counter()
        try:
            return handout(obj)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                spent["handout_s"] += time.perf_counter() - start

    engine.isolated_state = timed_isolated_state  # looked up by name for every notebook
    handout_module.handout = timed_handout  # imported by name where it is used, at call time
    if not engine.available():
        raise SystemExit("the in-process engine is not available: nothing to measure")
    jobs = all_jobs(2014, 2018, REPO_ROOT / "data" / "example")
    start = time.perf_counter()
    for job in jobs:
        run_job(job, out, force=True)
    serial = time.perf_counter() - start
    return {
        "isolation_s": spent["isolated_state_s"] + spent["handout_s"],
        **spent,
        "reports": len(jobs),
        "serial_s": serial,
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
