"""Progress on a terminal: drawn and erased there, never written anywhere else."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from foui_analysis import progress

REPO_ROOT = Path(__file__).resolve().parent.parent
FOUI = Path(sys.executable).parent / "foui"


class Terminal(io.StringIO):
    """What a terminal receives (a real one is used in the test of the command below)."""

    def isatty(self) -> bool:
        return True


def test_a_long_step_draws_its_line_on_a_terminal_and_erases_it(monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)
    monkeypatch.setattr(progress, "INTERVAL_S", 0.01)
    terminal = Terminal()
    with progress.on_terminal(terminal) as shown, progress.bar("Läser a.csv", 200) as step:
        step.update(50)
        time.sleep(0.2)
    assert shown
    written = terminal.getvalue()
    assert "\rLäser a.csv: 25 %" in written
    assert written.endswith("\r" + " " * len("Läser a.csv: 25 %") + "\r")  # erased


def test_a_step_without_a_total_shows_its_seconds(monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)
    monkeypatch.setattr(progress, "INTERVAL_S", 0.01)
    terminal = Terminal()
    with progress.on_terminal(terminal), progress.bar("Kontrollerar a.csv"):
        time.sleep(0.1)
    assert "\rKontrollerar a.csv: 0 s" in terminal.getvalue()


def test_a_quick_step_draws_nothing():
    terminal = Terminal()
    with progress.on_terminal(terminal), progress.bar("Läser a.csv", 10) as step:
        step.update(10)
    assert terminal.getvalue() == ""


def test_nothing_is_drawn_when_the_stream_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)
    monkeypatch.setattr(progress, "INTERVAL_S", 0.01)
    log = io.StringIO()
    with progress.on_terminal(log) as shown, progress.bar("Läser a.csv", 10) as step:
        step.update(5)
        time.sleep(0.1)
        assert step._thread is None  # no thread either
    assert not shown and log.getvalue() == ""


def test_outside_on_terminal_a_bar_is_silent(monkeypatch, capsys):
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)
    with progress.bar("Läser a.csv", 10) as step:
        step.update(5)
        time.sleep(0.05)
    assert capsys.readouterr().err == ""


def _larger_dataset(target: Path, rows: int) -> Path:
    """The example data with its activities repeated to ``rows`` rows (new ids)."""
    shutil.copytree(REPO_ROOT / "data" / "example", target)
    source = list(csv.DictReader((target / "activities.csv").open(encoding="utf-8", newline="")))
    with (target / "activities.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(source[0]), lineterminator="\n")
        writer.writeheader()
        for n in range(rows):
            row = dict(source[n % len(source)])
            if n >= len(source):
                row["activity_id"] = f"{row['activity_id']}-{n // len(source):05d}"
            writer.writerow(row)
    return target


@pytest.fixture(scope="module")
def larger_dataset(tmp_path_factory) -> Path:
    return _larger_dataset(tmp_path_factory.mktemp("large") / "data", 40_000)


@pytest.mark.slow  # starts the installed `foui` on 40 000 activities (seconds)
def test_foui_check_shows_progress_on_a_terminal(larger_dataset):
    leader, follower = os.openpty()
    try:
        process = subprocess.Popen(
            [str(FOUI), "check", "--data", str(larger_dataset)],
            stdout=subprocess.PIPE,
            stderr=follower,
            cwd=REPO_ROOT,
        )
        os.close(follower)
        terminal = b""
        while True:
            try:
                chunk = os.read(leader, 65_536)
            except OSError:  # the terminal is closed when the command has ended
                break
            if not chunk:
                break
            terminal += chunk
        out = process.stdout.read().decode()
        assert process.wait(timeout=600) == 0, terminal.decode(errors="replace")
    finally:
        os.close(leader)
    shown = terminal.decode()
    assert out == "Alla indata är giltiga.\n"
    assert "\rProvräknar uppföljningarna och utvärderingen: " in shown
    # Every progress line is erased before the next message: the warnings stand alone.
    for line in shown.replace("\r\n", "\n").split("\n"):
        visible = line.rsplit("\r", 1)[-1]
        assert visible == "" or visible.startswith("varning: "), visible


@pytest.mark.slow  # starts the installed `foui` on 40 000 activities (seconds)
def test_foui_check_writes_no_progress_into_a_log(larger_dataset):
    result = subprocess.run(
        [str(FOUI), "check", "--data", str(larger_dataset)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Alla indata är giltiga.\n"
    assert "\r" not in result.stderr and "Provräknar" not in result.stderr
    assert all(line.startswith("varning: ") for line in result.stderr.splitlines())
