"""The report pipeline benchmark (``make bench``): stock papermill + nbconvert against ``foui run``.

Measures, in one run on the example data, and prints a table and writes ``bench/results.json``:

* ``runner_s``: ``foui run all --force`` (every report of the agreement period, made again);
* ``noop_s``: ``foui run all`` with nothing changed;
* ``single_s``: one follow-up, one ``foui run followup --period 2016H2 --force`` process from
  start to finish; ``floor_s``: the same notebook with the same parameters, converted to a
  plain script and run with ``python`` (no kernel, no HTML); ``single_over_floor`` their ratio;
* ``naive_s``: every report made with the ``papermill`` CLI, then the
  ``jupyter nbconvert --to html`` CLI, then its PDF with Chromium's command line
  (``chromium --headless --print-to-pdf``, the tool the runner uses), one after the other, in
  the project's environment; ``speedup`` is ``naive_s / runner_s``;
* ``pdf_s_per_report``: the CPU seconds (all processes: this one and
  Chromium's) that printing one published report to its PDF costs, median over the reports,
  with the browser already running as in a batch (``pdf_wall_s_per_report`` the wall-clock
  median, ``pdf_browser_start_s`` the one-off start); the runner's own figures include it;
* ``runner_cells_s``: the seconds the notebooks' own cells ran in the last runner pass, summed
  over the reports (papermill records each cell's duration): the analysis work that no runner
  can take away, at best divided by the cores;
* ``runner_peak_pss_mb``: the largest memory ``foui run all --force`` and all its descendants
  (fork server, workers, each worker's Chromium) really hold, sampled from
  ``/proc/PID/smaps_rollup`` every 50 ms in one more pass of its own (the sampling slows the
  pass it watches, so ``runner_s`` is timed without it): the sum of their PSS, in which a page
  shared by several processes is divided among them (target at most 1.5 GB);
  ``runner_peak_rss_mb`` the sum of their RSS, which counts a shared page once in every process
  that maps it (Chromium's processes share most of theirs, so this is about twice the real
  figure);
* ``isolation_s``: what the state isolation around each notebook cost, summed over every report
  (restoring rcParams, pandas options, working directory, environment and ``sys.path``, and
  handing out the cached inputs as copies), timed on a real serial run of every report in one
  process (``bench/isolation_cost.py``); ``isolation_pct_of_runner`` is its share of
  ``runner_s`` (an upper bound: the sum over all reports against the parallel run's wall clock;
  target at most 10 %).

The figures of ``make bench-large`` (``bench/large_inputs.py``: ``foui check`` of 1.6 million
activities) are kept in the same file: each target replaces only its own figures.

Every pass does the same analysis work: the follow-ups compare with what is published in the
runner's output directory (``published_dir``), so the naive pass and the floor are given that
directory too, and the runner runs first. Wall-clock times are medians of ``--repeat`` runs
(default 3; single and floor at least 5, alternating; the slow naive pass runs once);
``runner_runs_s`` and ``single_over_floor_runs`` keep every run, for the spread.
``load_before``/``load_after`` are the 1-minute load averages around the run, and
``cpu_parallelism_before``/``_after`` how many busy processes the machine ran at full speed
then (two copies of a busy loop against one alone; 2.0 on two free cores): figures taken on
a busy or oversubscribed machine are not comparable. Nothing here asserts: the figures are
for reading and for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATA = "data/example"


def timed(cmd: list[str], *, env: dict | None = None, sample_memory: bool = False):
    """Run ``cmd``; its wall-clock seconds, and with ``sample_memory`` the largest memory of
    it and its descendants seen every 50 ms: (seconds, peak RSS sum MB, peak PSS sum MB)."""
    peak_rss = peak_pss = 0
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if sample_memory:
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_rss, peak_pss
            while not done.is_set():
                rss, pss = tree_memory_kb(proc.pid)
                peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    if sample_memory:
        done.set()
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    return seconds, peak_rss / 1024, peak_pss / 1024


def descendants(root: int) -> list[int]:
    """``root`` and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def tree_memory_kb(root: int) -> tuple[int, int]:
    """Resident memory of ``root`` and its descendants, two ways (kB): the sum of each process's
    RSS (a page shared by several processes counted in each of them) and the sum of their PSS
    (each shared page divided among the processes that share it: what the tree really holds)."""
    rss = pss = 0
    for pid in descendants(root):
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Rss:"):
                rss += int(line.split()[1])
            elif line.startswith("Pss:"):
                pss += int(line.split()[1])
    return rss, pss


def report_jobs(published_dir: Path) -> list[tuple[str, str, list[str]]]:
    """(name, notebook, papermill -p arguments) for every report of the agreement period."""
    sys.path.insert(0, str(ROOT))
    from foui_analysis.runner.jobs import all_jobs
    from foui_analysis.runner.params import notebook_parameters

    jobs = []
    for job in all_jobs(2014, 2018, ROOT / DATA):
        params = []
        parameters = dict(job.parameters)
        if "published_dir" in notebook_parameters(job.notebook):
            parameters["published_dir"] = str(published_dir)  # as the runner passes it
        for key, value in parameters.items():
            params += ["-p", key, str(value)]
        jobs.append((job.name, str(job.notebook.relative_to(ROOT)), params))
    return jobs


CHROMIUM_CLI = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"]


def naive(out: Path, published_dir: Path) -> float:
    from foui_analysis.presentation.pdf import chromium_path

    chromium = chromium_path()
    start = time.perf_counter()
    for name, notebook, params in report_jobs(published_dir):
        executed = out / f"{name}.ipynb"
        timed([str(BIN / "papermill"), notebook, str(executed), *params, "--log-level", "ERROR"])
        timed(
            [
                str(BIN / "jupyter"),
                "nbconvert",
                "--to",
                "html",
                "--no-input",
                str(executed),
                "--output-dir",
                str(out),
            ]
        )
        html = out / f"{name}.html"
        timed([chromium, *CHROMIUM_CLI, f"--print-to-pdf={out / name}.pdf", html.as_uri()])
    return time.perf_counter() - start


def tree_cpu_s(root: int) -> float:
    """CPU seconds (user + system) used so far by ``root`` and its live descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def pdf_costs(out: Path) -> dict[str, float]:
    """Print every published report again with the runner's function; CPU and wall medians."""
    from foui_analysis.presentation import pdf

    pages = sorted(p for p in out.glob("*.html") if p.name != "index.html")
    target = out.parent / "pdf-bench"
    target.mkdir(exist_ok=True)
    start = time.perf_counter()
    pdf.html_to_pdf(pages[0], target / "warm.pdf")  # starts the browser
    started = time.perf_counter() - start
    cpus, walls = [], []
    for page in pages:
        cpu, wall = tree_cpu_s(os.getpid()), time.perf_counter()
        pdf.html_to_pdf(page, target / f"{page.stem}.pdf")
        walls.append(time.perf_counter() - wall)
        cpus.append(tree_cpu_s(os.getpid()) - cpu)
    pdf.close_browser()
    return {
        "pdf_s_per_report": statistics.median(cpus),
        "pdf_wall_s_per_report": statistics.median(walls),
        "pdf_browser_start_s": started,
        "pdf_reports": len(pages),
    }


def floor_script(out: Path, published_dir: Path) -> Path:
    """The follow-up notebook as a plain script, parameters injected (papermill), no kernel."""
    executed = out / "floor.ipynb"
    subprocess.run(
        [
            str(BIN / "papermill"),
            "notebooks/uppfoljning.ipynb",
            str(executed),
            "-p",
            "period",
            "2016H2",
            "-p",
            "published_dir",
            str(published_dir),
            "--prepare-only",
            "--log-level",
            "ERROR",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    # --to python: the notebooks' language_info names no file extension, so "script" gives .txt
    subprocess.run(
        [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "python",
            str(executed),
            "--output-dir",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    script = out / "floor.py"
    text = script.read_text(encoding="utf-8")
    # IPython display() is available in a kernel; in plain python, the same call prints.
    script.write_text(
        "from IPython.display import display\n" + text.replace("get_ipython()", "None"),
        encoding="utf-8",
    )
    return script


def cell_seconds(out: Path) -> float:
    """Seconds the published reports' cells ran (papermill's per-cell durations), summed."""
    total = 0.0
    for notebook in out.glob("*/*.ipynb"):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        total += sum(c["metadata"].get("papermill", {}).get("duration") or 0 for c in cells)
    return total


def floor(script: Path) -> float:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return timed([sys.executable, str(script)], env=env)[0]


def isolation_cost(out: Path, runner_s: float) -> dict[str, float]:
    """The isolation's cost on a serial run of every report (``bench/isolation_cost.py``)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "isolation_cost.py"), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench/isolation_cost.py failed:\n{done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "isolation_s": figures["isolation_s"],
        "isolation_reports": figures["reports"],
        "isolation_serial_s": figures["serial_s"],
        "isolation_pct_of_runner": 100 * figures["isolation_s"] / runner_s,
    }


def write_results(results: dict[str, object]) -> dict[str, object]:
    """Merge ``results`` into ``bench/results.json`` (the figures of other bench targets are
    kept); print and return them rounded."""
    rounded = {k: round(v, 3) if isinstance(v, float) else v for k, v in results.items()}
    path = ROOT / "bench" / "results.json"
    kept = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    path.write_text(json.dumps({**kept, **rounded}, indent=2) + "\n", encoding="utf-8")
    width = max(map(len, rounded))
    for key, value in rounded.items():
        print(f"{key:<{width}}  {value}")
    return rounded


PROBE = "s = 0\nfor i in range(15_000_000):\n    s += i * i\n"


def cpu_parallelism() -> float:
    """How many CPU-bound processes this machine runs at full speed: two copies of a busy
    loop at once, against one alone (2.0 on two free cores, 1.0 when they share one)."""
    alone = timed([sys.executable, "-c", PROBE])[0]
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", PROBE]) for _ in range(2)]
    for proc in procs:
        proc.wait()
    return 2 * alone / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    foui = str(BIN / "foui")
    results: dict[str, object] = {"cores": os.cpu_count(), "python": platform.python_version()}
    results["load_before"] = os.getloadavg()[0]
    results["cpu_parallelism_before"] = cpu_parallelism()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        out = tmp_path / "reports"
        # Publish once first, so that every timed pass sees the same published reports.
        timed([foui, "run", "all", "--data", DATA, "--out", str(out)])
        run_all = [foui, "run", "all", "--force", "--data", DATA, "--out", str(out)]
        runs = [round(timed(run_all)[0], 2) for _ in range(args.repeat)]
        results["runner_s"] = statistics.median(runs)
        results["runner_runs_s"] = runs  # the spread: the VM's speed varies from run to run
        # The memory in a pass of its own: reading every process's smaps_rollup every 50 ms
        # costs CPU and holds each process's memory map while it is read, which slowed the
        # pass it watched by several seconds on two cores.
        _, results["runner_peak_rss_mb"], results["runner_peak_pss_mb"] = timed(
            run_all, sample_memory=True
        )
        results["noop_s"] = statistics.median(
            timed([foui, "run", "all", "--data", DATA, "--out", str(out)])[0]
            for _ in range(args.repeat)
        )
        results["runner_cells_s"] = cell_seconds(out)
        results.update(isolation_cost(tmp_path / "isolation", results["runner_s"]))
        results.update(pdf_costs(out))
        # single and floor alternate, so that both see the same machine (it is often shared).
        script = floor_script(tmp_path, out)
        singles, floors = [], []
        for _ in range(max(args.repeat, 5)):
            singles.append(
                timed(
                    [
                        foui,
                        "run",
                        "followup",
                        "--period",
                        "2016H2",
                        "--force",
                        "--data",
                        DATA,
                        "--out",
                        str(out),
                    ]
                )[0]
            )
            floors.append(floor(script))
        results["single_s"] = statistics.median(singles)
        results["floor_s"] = statistics.median(floors)
        pairs = zip(singles, floors, strict=True)
        results["single_over_floor_runs"] = [round(s / f, 2) for s, f in pairs]
        if not args.skip_naive:
            naive_dir = tmp_path / "naive"
            naive_dir.mkdir()
            results["naive_s"] = naive(naive_dir, out)
    results["load_after"] = os.getloadavg()[0]
    results["cpu_parallelism_after"] = cpu_parallelism()
    if "naive_s" in results:
        results["speedup"] = results["naive_s"] / results["runner_s"]
    results["single_over_floor"] = results["single_s"] / results["floor_s"]
    write_results(results)
    shutil.rmtree(ROOT / "bench" / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()
