"""The change set of a patching ``build --update`` (:func:`changes_beside`), made from the
replaced nodes' lines of the previous graph.json and the patch
(:mod:`~newsgraph.exporters.changes.patched`), in a forked child where ``os.fork`` is."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from newsgraph.exporters.property_graph.splice import previous_part
from newsgraph.graph._runtime import Forked
from newsgraph.graph.building.incremental import CannotPatch, Patch

if TYPE_CHECKING:
    from newsgraph.exporters.changes import ChangeSet

__all__ = ["changes_beside", "patched_changes"]


def patched_changes(patch: Patch, graph_json: Path) -> tuple[ChangeSet, str]:
    """The change set of ``patch`` and the basis of the next; :class:`CannotPatch` when the
    previous state kept no basis or the change set needs the whole graphs."""
    from newsgraph.exporters.changes.basis import Basis
    from newsgraph.exporters.changes.patched import NotPatchable, patched_change_set

    if patch.state.basis is None:
        raise CannotPatch("the previous state keeps no basis for a change set")
    try:
        basis = Basis.from_text(patch.state.basis)
        with graph_json.open("rb") as stream:
            previous = previous_part(stream, patch.replaced)
        changes, after = patched_change_set(previous, patch.graph, patch.written, basis)
    except (ValueError, NotPatchable) as err:
        raise CannotPatch(str(err)) from err
    return changes, after.to_text()


@contextmanager
def changes_beside(
    patch: Patch, graph_json: Path, folder: Path | None
) -> Iterator[Callable[[], str | None]]:
    """Write the change set of ``patch`` into the staged ``folder`` (None: no change set)
    while the block writes graph.json; the block calls what it gives for the basis of the
    next change set (:class:`CannotPatch` when there is no change set from the patch).

    Where ``os.fork`` is, a forked child makes and writes the change set on the other core,
    from the previous graph.json, which stays in place until the outputs are committed;
    a failed or stopped child is an error here, and leaving the block stops it.
    """
    if folder is None:
        yield lambda: None
        return

    def work() -> str:
        from newsgraph.exporters.changes import write_staged_change_set

        changes, basis = patched_changes(patch, graph_json)
        write_staged_change_set(changes, folder)
        return basis

    if not hasattr(os, "fork"):
        yield work  # here, once graph.json is written
        return
    with Forked(work, "the process writing the change set") as child:
        yield child.result
