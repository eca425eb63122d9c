"""benchmarks/results.json, shared by the benchmark scripts: each writes its own
sections and leaves the others as they were."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"


def load() -> dict:
    """The stored results, section by section ({} before the first run)."""
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def finish(summary: str, sections: dict, no_save: bool) -> int:
    """The end of every benchmark script: print ``summary`` and, unless
    ``no_save``, replace ``sections`` (name -> value) of results.json, keeping
    the others. Returns the script's exit status, 0."""
    print(summary)
    if not no_save:
        results = load()
        results.update(sections)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        print(f"wrote {', '.join(map(repr, sections))} in "
              f"{RESULTS.relative_to(RESULTS.parents[1])}")
    return 0
