"""Helpers shared by the CLI subcommands: atomic writes, progress, error lines.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "x.json"
>>> write_atomic(target, b"{}")
>>> target.read_bytes()
b'{}'
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["dump_json", "progress_bar", "write_atomic"]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def dump_json(value: Any) -> bytes:
    """Deterministic, readable JSON bytes."""
    return (
        json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False, allow_nan=False) + "\n"
    ).encode("utf-8")


def progress_bar(enabled: bool) -> Callable[[int, int], None] | None:
    """A tqdm progress callback on a terminal (stderr), else None."""
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, unit="file", file=sys.stderr, leave=False)
        bar["bar"].update(done - bar["bar"].n)
        if done >= total:
            bar["bar"].close()

    return update
