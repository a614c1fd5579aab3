"""Large inputs (``make bench-large``): ``foui check`` of 1.6 million activities.

The data set is the example's inputs with ``activities.csv`` grown to 1.6 million rows (about
200 MB), as a unit might export ten years of a large county's activity log; the rows are the
example's, repeated with new identifiers, so every value is valid and the check passes. It is
written to a temporary directory, then ``foui check --data`` runs on it once, in a process of
its own, with the total resident memory of the process sampled from ``/proc`` every 50 ms (as
``bench/bench.py`` samples the runner).

Figures (merged into ``bench/results.json``): ``large_rows``, ``large_mb`` (the file's size),
``large_check_s`` (wall clock), ``large_check_cpu_s`` (user + system CPU of the process),
``large_check_peak_rss_mb`` (target under 1 500 MB), and the load around the run. Takes
minutes (about 2.5 minutes of CPU); nothing here asserts.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import BIN, timed, write_results  # noqa: E402 (bench/ is not a package)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "example"
ROWS = 1_600_000


def write_large_dataset(target: Path, rows: int = ROWS) -> Path:
    """Copy the example data set to ``target`` with ``rows`` activities; return ``target``."""
    shutil.copytree(EXAMPLE, target)
    (target / "dataset.toml").unlink(missing_ok=True)  # not the example any more
    with (EXAMPLE / "activities.csv").open(encoding="utf-8", newline="") as f:
        source = list(csv.DictReader(f))
    fields = list(source[0])
    with (target / "activities.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields, lineterminator="\n")
        writer.writeheader()
        for n in range(rows):
            row = dict(source[n % len(source)])
            if n >= len(source):  # the example's own rows keep their ids (participation.csv)
                row["activity_id"] = f"{row['activity_id']}-{n // len(source):05d}"
            writer.writerow(row)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS, help="activities (default 1 600 000)")
    args = parser.parse_args()
    results: dict[str, object] = {"large_load_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        data = write_large_dataset(Path(tmp) / "data", args.rows)
        results["large_rows"] = args.rows
        results["large_mb"] = (data / "activities.csv").stat().st_size / 1e6
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, peak = timed([str(BIN / "foui"), "check", "--data", str(data)], sample_memory=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    results["large_check_s"] = seconds
    results["large_check_cpu_s"] = (after.ru_utime - before.ru_utime) + (
        after.ru_stime - before.ru_stime
    )
    results["large_check_peak_rss_mb"] = peak
    results["large_load_after"] = os.getloadavg()[0]
    write_results(results)


if __name__ == "__main__":
    main()
