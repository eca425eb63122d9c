"""`make lab`, as a new user runs it: it serves the chapters on 127.0.0.1 only,
behind a token, and it starts when the user is root (as in most containers and
in CI), where JupyterLab refuses to run unless told ``--allow-root``."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as err:
        return err.code


def _other_addresses() -> list[str]:
    """This machine's IPv4 addresses outside the loopback range."""
    return [a.address for addrs in psutil.net_if_addrs().values() for a in addrs
            if a.family == socket.AF_INET and not a.address.startswith("127.")]


@pytest.fixture
def make_lab(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("GNU make is not installed")
    port = _free_port()
    env = dict(os.environ, MPLBACKEND="Agg",
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"))
    log_path = tmp_path / "make-lab.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(["make", "--no-print-directory", "lab",
                                 f"LAB_PORT={port}"], cwd=REPO, env=env,
                                stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        pattern = re.compile(rf"http://127\.0\.0\.1:{port}/lab\?token=(\w+)")
        while not (m := pattern.search(log_path.read_text())):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("make lab did not print its URL with a token:\n"
                            + log_path.read_text()[-3000:])
            time.sleep(0.5)
        yield {"port": port, "token": m.group(1), "log": log_path, "pid": proc.pid}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_make_lab_serves_on_loopback_only_and_needs_the_token(make_lab):
    port, token = make_lab["port"], make_lab["token"]
    base = f"http://127.0.0.1:{port}"
    # the URL it printed works; the same request without the token is refused
    assert _status(f"{base}/api/status?token={token}") == 200
    assert _status(f"{base}/api/status") == 403
    assert _status(f"{base}/api/contents/book?token={token}") == 200
    assert _status(f"{base}/api/contents/book") == 403
    # every socket listening on that port is bound to 127.0.0.1
    listening = {c.laddr.ip for c in psutil.net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN and c.laddr.port == port}
    assert listening == {"127.0.0.1"}
    for address in _other_addresses():  # and no other address answers
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex((address, port)) != 0, address


def test_make_lab_says_when_it_allows_root(make_lab):
    said = "passing --allow-root" in make_lab["log"].read_text()
    assert said == (os.geteuid() == 0)
