"""A real JupyterLab server for the browser tests and the live benchmarks.

:func:`running_lab` starts JupyterLab on 127.0.0.1 (a free port, a random
token) over a folder the caller prepares, with its own configuration, settings
and workspaces in a temporary folder: quiet and offline (no news, no update
checks, no autosave), every cell in the DOM (no windowing, so every prompt can
be read), and the book's kernel connection (:mod:`cnnlib.lab`, as ``make
lab`` has it). It yields once the server answers, and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cnnlib.lab import CONNECTION_OPTION


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


class LabDidNotStart(RuntimeError):
    """JupyterLab exited or did not answer in time; the message holds its log."""


@contextlib.contextmanager
def running_lab(root: Path, tmp: Path, start_timeout_s: float = 90,
                quick_connection: bool = True):
    """JupyterLab over ``root``; yields ``{"base", "token", "root"}``.

    ``quick_connection=False`` leaves JupyterLab's own kernel connection (Nagle
    on): the reference of ``benchmarks/live_latency.py``.

    ``tmp`` receives the server's configuration, settings, workspaces and log
    (``tmp / "lab.log"``).
    """
    _write_json(tmp / "config" / "jupyter_server_config.json", {
        "LabApp": {"news_url": None,
                   "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}})
    settings = tmp / "settings"
    _write_json(settings / "@jupyterlab" / "apputils-extension"
                / "notification.jupyterlab-settings",
                {"fetchNews": "false", "checkForUpdates": False})
    _write_json(settings / "@jupyterlab" / "docmanager-extension"
                / "plugin.jupyterlab-settings", {"autosave": False})
    _write_json(settings / "@jupyterlab" / "notebook-extension"
                / "tracker.jupyterlab-settings",
                {"autoStartDefaultKernel": True, "windowingMode": "none"})
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), MPLBACKEND="Agg",
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={settings}",
           f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
           "--LabApp.extension_manager=readonly"]
    if quick_connection:
        cmd.append(CONNECTION_OPTION)
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers, CI
        cmd.append("--allow-root")
    log_path = tmp / "lab.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                            cwd=root)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{base}api/status?token={token}",
                                            timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise LabDidNotStart("JupyterLab did not start:\n"
                                         + log_path.read_text()[-3000:]) from None
                time.sleep(0.5)  # poll interval while the server starts
        yield {"base": base, "token": token, "root": root}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
