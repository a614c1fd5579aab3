"""A real Jupyter server from the JupyterLab environment (.venv-lab), and a notebook run through it.

:class:`LabServer` starts ``.venv-lab/bin/jupyter lab`` headless on a free local port, with a
token, update checks off and the environment variables given, on a root directory of its own
(the tests give it a copy of notebooks/, so that autosave never writes into the checkout; the
notebooks find data/ from there as they do from notebooks/, see :mod:`foui_analysis.paths`);
:meth:`LabServer.run_notebook` opens a session for a notebook on the
kernel named in its metadata, as JupyterLab does, and executes its code cells one by one over
the kernel's websocket with the Jupyter messaging protocol, collecting each cell's outputs and
reply. ``allow_stdin`` is sent as JupyterLab sends it (true): the notebook runs as it does for a
person.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import socket
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / ".venv-lab"
JUPYTER = LAB / "bin" / "jupyter"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class CellRun:
    index: int
    source: str
    status: str = ""
    outputs: list[dict] = field(default_factory=list)
    error: str = ""


class LabServer:
    """``jupyter lab`` of .venv-lab, headless, on 127.0.0.1 (a context manager)."""

    def __init__(self, root: Path, env: dict[str, str] | None = None, log: Path | None = None):
        self.root = root
        self.port = free_port()
        self.token = uuid.uuid4().hex
        self.url = f"http://127.0.0.1:{self.port}"
        # JupyterLab asks once whether to fetch Jupyter's news (a toast over the page, and a
        # request out of this machine if answered yes): this server's own settings say no.
        notification = root.parent / "settings" / "@jupyterlab" / "apputils-extension"
        notification.mkdir(parents=True, exist_ok=True)
        (notification / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false"}), encoding="utf-8"
        )
        command = [
            str(JUPYTER),
            "lab",
            "--no-browser",
            f"--port={self.port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={root}",
            # A workspace or settings saved by another JupyterLab session on this machine would
            # open other tabs: this server keeps its own.
            f"--LabApp.workspaces_dir={root.parent / 'workspaces'}",
            f"--LabApp.user_settings_dir={root.parent / 'settings'}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabServerApp.extension_manager=readonly",
            "--ServerApp.open_browser=False",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.log_path = log
        self.log = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            command,
            cwd=root,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab ended with {self.process.returncode}")
            try:
                self.get("/api/status")
                return
            except OSError:
                time.sleep(0.5)
        raise TimeoutError("jupyter lab did not answer in time")

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read().decode()
        return json.loads(text) if text else {}

    def get(self, path: str) -> dict:
        return self.request("GET", path)

    def kernelspecs(self) -> dict:
        return self.get("/api/kernelspecs")["kernelspecs"]

    def run_notebook(self, path: Path, cell_timeout: float = 300) -> tuple[str, list[CellRun]]:
        """Open ``path`` on its metadata's kernel through the server; run every code cell."""
        nb = nbformat.read(str(path), as_version=4)
        kernel_name = nb.metadata["kernelspec"]["name"]
        session = self.request(
            "POST",
            "/api/sessions",
            {
                "path": str(path.relative_to(self.root)),
                "name": path.name,
                "type": "notebook",
                "kernel": {"name": kernel_name},
            },
        )
        kernel = session["kernel"]
        try:
            cells = [CellRun(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
            # In a thread of its own: Playwright's sync API (the browser tests, in the same
            # pytest process) keeps an event loop running in this one.
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                pool.submit(asyncio.run, self._execute(kernel["id"], cells, cell_timeout)).result()
        finally:
            self.request("DELETE", f"/api/sessions/{session['id']}")
        return kernel["name"], cells

    async def _execute(self, kernel_id: str, cells: list[CellRun], cell_timeout: float) -> None:
        from tornado.websocket import websocket_connect

        url = (
            f"ws://127.0.0.1:{self.port}/api/kernels/{kernel_id}/channels"
            f"?token={self.token}&session_id={uuid.uuid4().hex}"
        )
        socket_ = await websocket_connect(url)
        try:
            await self._request(socket_, "kernel_info_request", {}, None, 120)
            for cell in cells:
                content = {
                    "code": cell.source,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": True,
                    "stop_on_error": True,
                }
                await self._request(socket_, "execute_request", content, cell, cell_timeout)
                if cell.status != "ok":
                    break
        finally:
            socket_.close()

    async def _request(self, socket_, kind: str, content: dict, cell, timeout: float) -> None:
        msg_id = uuid.uuid4().hex
        await socket_.write_message(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": "test",
                        "session": uuid.uuid4().hex,
                        "msg_type": kind,
                        "version": "5.3",
                        "date": "",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": content,
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        replied = idle = False
        deadline = time.monotonic() + timeout
        while not (replied and idle):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{kind} got no reply in {timeout} s")
            raw = await asyncio.wait_for(socket_.read_message(), left)
            if raw is None:
                raise ConnectionError("the kernel's websocket closed")
            message = json.loads(raw)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            msg_type = message["header"]["msg_type"]
            if message["channel"] == "shell" and msg_type.endswith("_reply"):
                replied = True
                if cell is not None:
                    cell.status = message["content"]["status"]
            elif msg_type == "status" and message["content"]["execution_state"] == "idle":
                idle = True
            elif cell is not None and msg_type in ("stream", "display_data", "execute_result"):
                cell.outputs.append({"type": msg_type, **message["content"]})
            elif cell is not None and msg_type == "error":
                content = message["content"]
                cell.error = f"{content['ename']}: {content['evalue']}"
                cell.outputs.append({"type": msg_type, **content})

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.log not in (None, subprocess.DEVNULL):
            self.log.close()

    def __enter__(self) -> LabServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
