"""Shared fixtures. Sections are owned by their authors; append, don't rewrite."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------
# The built book (SITE): built once per session, shared by tests/test_build.py
# and the browser tests in tests/browser/.

#: A Sphinx warning or error line ("path:line: WARNING: ..."); not the
#: "[IPKernelApp] WARNING | ..." lines that kernels print on their own.
SPHINX_PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL|SEVERE): ")


@dataclass
class BookBuild:
    html: Path  # the folder with index.html
    returncode: int
    log: str
    seconds: float

    @property
    def warnings(self) -> list[str]:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", self.log)
        return [line for line in plain.splitlines() if SPHINX_PROBLEM.search(line)]


def build_book(out: Path, source: Path = REPO) -> BookBuild:
    """``jupyter-book build`` of ``source`` into ``out`` with -W -n --keep-going."""
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(exe), "build", str(source), "-W", "-n", "--keep-going",
           "--path-output", str(out)]
    env = dict(os.environ, MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=source,
                          timeout=1800)
    seconds = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    (out / "build.log").write_text(log)
    (out / "build.status").write_text(f"{proc.returncode} {seconds:.1f}\n")
    return BookBuild(out / "_build" / "html", proc.returncode, log, seconds)


@pytest.fixture(scope="session")
def book_build(tmp_path_factory) -> BookBuild:
    """The book, built once per session into a temporary folder.

    Set BOOK_BUILD_DIR to a folder to build there instead; if it already holds
    a build made by this fixture, that build is reused (for quick iteration on
    the browser tests; CI never sets it).
    """
    reuse = os.environ.get("BOOK_BUILD_DIR")
    if reuse:
        out = Path(reuse)
        status = out / "build.status"
        if status.is_file() and (out / "_build" / "html" / "index.html").is_file():
            code, seconds = status.read_text().split()
            return BookBuild(out / "_build" / "html", int(code),
                             (out / "build.log").read_text(), float(seconds))
        out.mkdir(parents=True, exist_ok=True)
    else:
        out = tmp_path_factory.mktemp("book")
    return build_book(out)


# --------------------------------------------------------------------------
# Exercise checkers (tests/test_exercises_*.py): what a checker printed.


@pytest.fixture
def says(capsys):
    """``says("Right")`` asserts that the checker's printed verdict starts so."""

    def check(word: str) -> None:
        out = capsys.readouterr().out
        assert out.startswith(word), out

    return check
