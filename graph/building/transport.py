"""Partials on their way from worker processes to the main process, each description once.

The same description comes back in many chunks of files (a related item is copied into
dozens of files); sending and unpickling it again and again was the main process's biggest
cost.  A :class:`Sender` in each worker keeps that worker's :class:`~newsgraph.graph.building.merge.Book`
and packs a partial with only the descriptions it has not sent before; the main process's
:class:`Receiver` maps the numbers back into its own book.

That book assumes workers that live for one build and take their chunks in the order they
were given (a process pool made for the build).  Workers that outlive a build, run tasks in
any order, run a task twice or live on several machines (a Dask cluster) use a sender per
chunk instead (``Sender(alone=True)``): each pack then carries all its descriptions and
stands alone, at the cost of sending a description again in every chunk that has it.
"""

from __future__ import annotations

import io
import os
import pickle
from collections import Counter
from typing import Any, NamedTuple

from newsgraph.graph.building.descriptions import Book, Description, Rank
from newsgraph.graph.building.merge import ArticleState, Partial
from newsgraph.graph.model import Problem

__all__ = ["Packed", "Receiver", "Sender"]

#: One tier on its way between processes: (description number, best rank, times seen).
PackedTier = list[tuple[int, Rank, int]]


class Packed(NamedTuple):
    """A :class:`Partial` on its way from a worker process, new descriptions only."""

    sender: tuple[int, int] | None  # (process id, generation of its book); None: stands alone
    first: int  # the number of the first new description
    descriptions: bytes  # the values of the descriptions not sent before: see _dump_values
    articles: list[tuple[str, PackedTier, PackedTier, set[str], set[str]]]
    problems: list[Problem]
    counts: Counter[str]

    def new_descriptions(self) -> list[tuple[Any, ...]]:
        """The values of the descriptions sent for the first time, as plain tuples."""
        values: list[tuple[Any, ...]] = pickle.loads(self.descriptions)
        return values


def _dump_values(descriptions: list[Description]) -> bytes:
    """The descriptions' values as plain tuples, pickled without pickle's memo.

    Most of what a worker sends is new descriptions, and pickling them was ~6% of a worker's
    time: a named tuple pickles through a Python call each way, and the memo (which only
    matters for objects met twice, and for cycles) cost as much again.  Descriptions hold
    plain values and no cycles; a value two of them share is merely written twice.
    Measured on 13,548 descriptions: 11.9 µs each with the executor's own pickling, 3.2 here.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo
    pickler.dump(list(map(tuple, descriptions)))
    return buffer.getvalue()


class Sender:
    """Keeps the book of a worker process and packs its partials, each description once.

    Packs of one sender must be unpacked in the order they were
    made, as ``Executor.map`` returns them.  The book starts anew (a new generation) after
    ``limit`` descriptions, so a worker's memory stays bounded.

    >>> from newsgraph.graph.model import Article
    >>> sender, receiver, total = Sender(), Receiver(), Partial()
    >>> p = sender.partial(); p.add(Article(key="u", source="a.md", title="T"))
    >>> receiver.unpack_into(total, sender.pack(p)); total.articles["u"].value("title")
    ('T', None)
    >>> sender.pack(p).new_descriptions()  # already sent
    []
    """

    def __init__(self, limit: int = 1 << 18, *, alone: bool = False) -> None:
        self.book = Book()
        self.sent = 0
        self.generation = 0
        self.limit = limit
        self.alone = alone

    def partial(self) -> Partial:
        """A new partial on this sender's book."""
        if len(self.book.descriptions) >= self.limit:
            self.book, self.sent = Book(), 0
            self.generation += 1
        return Partial(self.book)

    def pack(self, partial: Partial) -> Packed:
        """Pack ``partial`` (made by :meth:`partial`) with the descriptions not sent yet."""
        first, self.sent = self.sent, len(self.book.descriptions)
        articles = [
            (
                key,
                [(n, *v) for n, v in state.primary.items()],
                [(n, *v) for n, v in state.stub.items()],
                state.sources,
                state.related,
            )
            for key, state in partial.articles.items()
        ]
        return Packed(
            None if self.alone else (os.getpid(), self.generation),
            first,
            _dump_values(self.book.descriptions[first:]),
            articles,
            partial.problems,
            partial.counts,
        )


class Receiver:
    """Unpacks what :class:`Sender` objects packed into one partial (in the main process)."""

    def __init__(self) -> None:
        #: sender process -> (generation, its description numbers -> numbers in the total)
        self.known: dict[int, tuple[int, list[int]]] = {}

    def unpack_into(self, total: Partial, packed: Packed) -> None:
        """Merge ``packed`` into ``total`` (always the same partial for one receiver)."""
        if packed.sender is None:
            numbers: list[int] = []
        else:
            process, generation = packed.sender
            known = self.known.get(process)
            if known is None or known[0] != generation:
                known = self.known[process] = (generation, [])
            numbers = known[1]
        if len(numbers) != packed.first:
            raise RuntimeError("packs of one sender were unpacked out of order")
        numbers.extend(map(total.book.number_values, packed.new_descriptions()))
        articles = total.articles
        for key, primary, stub, sources, related in packed.articles:
            state = articles.get(key)
            if state is None:
                state = articles[key] = ArticleState(total.book)
                state.primary = {numbers[n]: [rank, count] for n, rank, count in primary}
                state.stub = {numbers[n]: [rank, count] for n, rank, count in stub}
                state.sources, state.related = sources, related
                continue
            observe = state.observe
            for n, rank, count in primary:
                observe(True, numbers[n], rank, count)
            for n, rank, count in stub:
                observe(False, numbers[n], rank, count)
            state.sources |= sources
            state.related |= related
        total.problems.extend(packed.problems)
        total.counts.update(packed.counts)
