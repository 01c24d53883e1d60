"""The communities of an earlier ``newsgraph analyze``, read back so an update keeps their ids.

``newsgraph analyze --previous DIR`` (or ``--update``: the output folder itself) reads what an
earlier run wrote to DIR: ``membership.csv`` (every clustered and unclustered node, with its
community id or an empty cell) and ``summary.json`` (what was clustered, ``on``, and
``next_community_id``, the lowest id never given, so retired ids are not given again).  Not
supported: folders written before ``membership.csv`` listed unclustered nodes -- those nodes
read as new, which only widens the churn report's "joined" communities.

When the graph is read ``--from-json`` from the folder of a ``newsgraph build --update``, the
``update.json`` beside it names the article nodes that update brought in (``articles.nodes``:
new ones, and those that were related links or changed): the communities they are in now
count as *joined* in the churn report too (:func:`touched_of`).  It is read only when it was
written with that very ``graph.json`` (its ``graph`` digest).

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "membership.csv").write_text("node,kind,community,story\\na,article,4,\\nb,article,,1\\n")
>>> _ = (folder / "summary.json").write_text('{"on": "articles", "next_community_id": 7}')
>>> read_previous(folder)
PreviousAnalysis(assignment={'a': 4, 'b': None}, next_id=7, on='articles', touched=())
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path

from newsgraph.exporters.cli._options import UsageError
from newsgraph.graph.building.manifest import file_digest

__all__ = [
    "UPDATE_JSON",
    "PreviousAnalysis",
    "has_analysis",
    "previous_of",
    "read_previous",
    "touched_of",
]

MEMBERSHIP = "membership.csv"
SUMMARY = "summary.json"
#: What ``newsgraph build --update`` writes beside graph.json about the update.
UPDATE_JSON = "update.json"


@dataclass(frozen=True)
class PreviousAnalysis:
    """Every node's community id (``None``: unclustered), the next fresh id, ``--on``, and the
    nodes the update since then brought in that were there before (see :func:`touched_of`)."""

    assignment: Mapping[Hashable, int | None]
    next_id: int
    on: str
    touched: tuple[str, ...] = ()


def previous_of(args: argparse.Namespace) -> PreviousAnalysis | None:
    """What ``--previous`` or ``--update`` start from; None for a fresh start."""
    folder = args.previous if args.previous is not None else args.output if args.update else None
    if folder is None or (args.update and not folder.exists()):
        return None
    if folder.is_file():  # --previous DIR/membership.csv
        folder = folder.parent
    if args.update and not has_analysis(folder):
        print(
            f"newsgraph analyze: no earlier analysis in {folder}; ids start from 0", file=sys.stderr
        )
        return None
    try:
        previous = read_previous(folder)
    except ValueError as err:
        if not args.update:
            raise UsageError(f"--previous {err}") from None
        # Like a damaged build manifest: start afresh and say so, never guess.
        print(f"newsgraph analyze: {err}; starting afresh, ids from 0", file=sys.stderr)
        return None
    if previous.on != args.on:
        raise UsageError(f"the previous analysis clustered --on {previous.on}, not --on {args.on}")
    if args.from_json:
        previous = dataclasses.replace(previous, touched=touched_of(Path(args.inputs[0])))
    return previous


def touched_of(graph_json: Path) -> tuple[str, ...]:
    """The article nodes the ``build --update`` that wrote ``graph_json`` brought in, from the
    ``update.json`` beside it; ``()`` when there is none, it is of another ``graph.json`` (a
    later plain build, say), or it does not name them (a full rebuild).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "graph.json").write_text("{}")
    >>> touched_of(folder / "graph.json")
    ()
    """
    try:
        update = json.loads((graph_json.parent / UPDATE_JSON).read_bytes())
        nodes = update["articles"]["nodes"]
        if not isinstance(nodes, list) or update["graph"] != file_digest(graph_json):
            return ()
    except (OSError, ValueError, KeyError, TypeError):
        return ()
    return tuple(map(str, nodes))


def has_analysis(folder: Path) -> bool:
    """Whether *folder* holds what ``newsgraph analyze`` writes for a later update."""
    return (folder / MEMBERSHIP).is_file() and (folder / SUMMARY).is_file()


def read_previous(folder: Path) -> PreviousAnalysis:
    """The communities ``newsgraph analyze`` wrote to *folder*; ValueError saying what is wrong
    when it holds none, or damaged ones."""
    if not has_analysis(folder):
        raise ValueError(f"{folder}: no {MEMBERSHIP} and {SUMMARY} written by 'newsgraph analyze'")
    try:
        summary = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
        with open(folder / MEMBERSHIP, newline="", encoding="utf-8") as stream:
            rows = list(csv.DictReader(stream))
        assignment = {
            row["node"]: int(row["community"]) if row["community"] else None for row in rows
        }
        ids = [c for c in assignment.values() if c is not None]
        if not isinstance(summary, dict) or any(c < 0 for c in ids):
            raise ValueError("negative ids or a summary that is no JSON object")
        next_id = int(summary.get("next_community_id", max(ids, default=-1) + 1))
        on = str(summary.get("on", "articles"))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ValueError(
            f"{folder}: not an analysis 'newsgraph analyze' can start from ({err})"
        ) from err
    return PreviousAnalysis(assignment, max(next_id, max(ids, default=-1) + 1), on)
