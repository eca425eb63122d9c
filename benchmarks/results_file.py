"""benchmarks/results.json, shared by the benchmark scripts: each writes its own
section and leaves the others as they were."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"


def store(section: str, value) -> Path:
    """Replace ``section`` of results.json with ``value``; return the file."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[section] = value
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    return RESULTS
