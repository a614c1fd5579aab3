"""A large data set for the benchmark: the example's inputs with ``activities.csv`` grown to
1.6 million rows (about 200 MB), as a unit might export ten years of a large county's activity
log. The rows are the example's, repeated with new identifiers, so every value is valid.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

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
