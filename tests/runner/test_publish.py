"""Atomic, serialised publishing: a kill at every file-system step, and runs at the same time.

The kill test first records every step label of a publish (over a published report, so history
is carried and the old version removed), then for each step n runs the same publish in a fresh
process that kills itself (``os._exit``, as SIGKILL would: no clean-up code runs) at step n.
After each kill it checks what a reader sees: every path shows one whole publication (the old
or the new, the same one through every path) and the history holds every earlier publication;
then a new publish recovers and must leave exactly one version with the whole history.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from foui_analysis.runner import publish as pub

NAME = "uppfoljning-2015H1"

SCRIPT = r"""
import json, os, sys
from pathlib import Path
from foui_analysis.runner import publish as pub

out, staging, label, kill_at, trace = sys.argv[1:6]
kill_at = int(kill_at)
steps = []
def hook(step):
    steps.append(step)
    if trace != "-":
        Path(trace).write_text(json.dumps(steps), encoding="utf-8")
    if len(steps) == kill_at:
        os._exit(86)
pub.fault_hook = hook
staging = Path(staging)
staging.mkdir(parents=True)
name = "uppfoljning-2015H1"
files = {
    f"{name}.html": f"<html>{label}</html>",
    f"{name}.ipynb": json.dumps({"label": label}),
    "kpis.json": json.dumps({"label": label}),
    "provenance.json": json.dumps({"label": label, "created": label}),
}
if label.endswith("pdf"):
    files[f"{name}.pdf"] = f"%PDF {label}"
for file, text in files.items():
    (staging / file).write_text(text, encoding="utf-8")
pub.publish(out, name, [staging / f for f in files])
"""


def run_publish(out: Path, staging: Path, label: str, kill_at: int = 0, trace: str = "-"):
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(out), str(staging), label, str(kill_at), trace],
        capture_output=True,
        text=True,
        timeout=120,
    )


def reader_view(out: Path) -> dict[str, str | None]:
    """What a reader of the report sees through each published path."""

    def read(path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    return {
        "html": read(out / f"{NAME}.html"),
        "pdf": read(out / f"{NAME}.pdf"),
        "kpis": read(out / NAME / "kpis.json"),
        "notebook": read(out / NAME / f"{NAME}.ipynb"),
        "provenance": read(out / NAME / "provenance.json"),
    }


def label_of(view: dict) -> str:
    """The one publication every path shows (fails on a mix)."""
    labels = {
        view["html"].removeprefix("<html>").removesuffix("</html>"),
        json.loads(view["kpis"])["label"],
        json.loads(view["notebook"])["label"],
        json.loads(view["provenance"])["label"],
    }
    assert len(labels) == 1, f"a reader sees a mix of publications: {view}"
    return labels.pop()


def history(out: Path) -> list[str]:
    folder = out / NAME / "historik"
    return sorted(json.loads(p.read_text("utf-8"))["label"] for p in folder.glob("kpis-*.json"))


def published_twice(out: Path, tmp: Path) -> None:
    assert run_publish(out, tmp / "s1", "a").returncode == 0
    assert run_publish(out, tmp / "s2", "b").returncode == 0
    assert label_of(reader_view(out)) == "b" and history(out) == ["a"]


def steps_of_a_publish(tmp: Path, new_label: str) -> list[str]:
    out = tmp / "trace-out"
    published_twice(out, tmp / "trace")
    trace = tmp / "trace.json"
    done = run_publish(out, tmp / "trace" / "s3", new_label, trace=str(trace))
    assert done.returncode == 0, done.stderr
    return json.loads(trace.read_text("utf-8"))


@pytest.mark.slow  # a process killed at each of some 40 filesystem steps
@pytest.mark.parametrize("new_label", ["c", "c-pdf"])
def test_a_kill_at_every_step_of_a_publish_loses_nothing(tmp_path, new_label):
    steps = steps_of_a_publish(tmp_path, new_label)
    assert any("byt länk" in s for s in steps) and any("historik" in s for s in steps)
    assert len(steps) >= 8
    for n, step in enumerate(steps, start=1):
        out = tmp_path / f"kill-{n}"
        published_twice(out, tmp_path / f"k{n}")
        killed = run_publish(out, tmp_path / f"k{n}" / "s3", new_label, kill_at=n)
        assert killed.returncode == 86, (step, killed.stderr)

        view = reader_view(out)
        seen = label_of(view)
        assert seen in ("b", new_label), step
        assert (view["pdf"] is not None) == (seen == "c-pdf"), (step, view)
        assert history(out) == (["a"] if seen == "b" else ["a", "b"]), step

        # the next publish recovers and leaves one version with the whole history
        again = run_publish(out, tmp_path / f"k{n}" / "s4", "d")
        assert again.returncode == 0, (step, again.stderr)
        assert label_of(reader_view(out)) == "d"
        assert reader_view(out)["pdf"] is None
        expected = ["a", "b", new_label] if seen == new_label else ["a", "b"]
        assert history(out) == expected, step
        entries = sorted(p.name for p in (out / ".versions" / NAME).iterdir())
        assert len(entries) == 2 and "current" in entries, (step, entries)
        assert not list(out.glob(".*.link-*")), step


def test_a_report_published_before_versioned_folders_is_converted(tmp_path):
    out = tmp_path / "reports"
    (out / NAME / "historik").mkdir(parents=True)
    (out / NAME / "historik" / "kpis-20150101T000000.json").write_text('{"label": "0"}')
    (out / NAME / "kpis.json").write_text('{"label": "a"}')
    (out / NAME / f"{NAME}.ipynb").write_text('{"label": "a"}')
    (out / NAME / "provenance.json").write_text('{"label": "a", "created": "2015-08-01"}')
    (out / f"{NAME}.html").write_text("<html>a</html>")
    assert run_publish(out, tmp_path / "s", "b").returncode == 0
    assert label_of(reader_view(out)) == "b"
    assert history(out) == ["0", "a"]
    assert (out / NAME).is_symlink() and (out / f"{NAME}.html").is_symlink()


def test_recover_removes_what_a_killed_first_publish_left(tmp_path):
    out = tmp_path / "reports"
    killed = run_publish(out, tmp_path / "s", "a", kill_at=3)
    assert killed.returncode == 86
    assert reader_view(out)["html"] is None
    pub.recover(out)
    assert not (out / ".versions" / NAME).exists()
    assert not list(out.glob(".*.link-*"))


def test_publishers_in_one_folder_take_turns(tmp_path):
    out = tmp_path / "reports"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(out), str(tmp_path / f"s{i}"), f"p{i}", "0", "-"]
        )
        for i in range(4)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    seen = label_of(reader_view(out))
    assert sorted([*history(out), seen]) == ["p0", "p1", "p2", "p3"]


def test_the_run_lock_makes_a_second_run_give_up_with_a_message(tmp_path):
    out = tmp_path / "reports"
    with pub.run_lock(out):
        started = time.monotonic()
        with pytest.raises(pub.BusyError) as busy, pub.run_lock(out, wait=0.5):
            pass
        assert time.monotonic() - started >= 0.5  # it waited as long as it was told
        message = str(busy.value)
        assert "en annan körning" in message and "--wait" in message and str(out) in message
    with pub.run_lock(out, wait=0):  # free again once the first run ended
        pass
