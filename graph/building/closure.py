"""The identity closure of a patch, read from the keyed state's ``ident`` and ``claims``.

:class:`IdentityTables` holds the state's connection while a patch runs
(:mod:`~newsgraph.graph.building.patcher`): from the touched keys it follows every key whose
identity group can meet theirs -- one identity form, one alias claimed by two keys, an alias
whose identity form is a key's form -- until nothing new is reached, and it decides the
identity groups of a closure again, as a full build decides them
(:func:`~newsgraph.graph.building.identity.group_keys`).  SQLite indexes keep each step to
the keys it touches.

>>> import sqlite3
>>> from newsgraph.graph.building.keyed import KEYED_SCHEMA
>>> db = sqlite3.connect(":memory:"); db.executescript(KEYED_SCHEMA)  # doctest: +ELLIPSIS
<sqlite3.Cursor object at ...>
>>> sorted(IdentityTables(db)._closure({"https://n.example/a"}))
['https://n.example/a']
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from newsgraph.graph.building.descriptions import Book
from newsgraph.graph.building.identity import group_keys, with_files
from newsgraph.graph.building.keyed import claims_of, pack_conflict, state_of
from newsgraph.graph.building.manifest import plain_load
from newsgraph.graph.building.merge import ArticleState
from newsgraph.graph.urls import identity_form

__all__ = ["IdentityTables", "Side"]

_BATCH = 500


@dataclass
class Side:
    """Identity of the closure's keys on one side of the change."""

    documented: dict[str, bool] = field(default_factory=dict)  # keys that exist
    target: dict[str, str] = field(default_factory=dict)  # merged keys -> their article


class IdentityTables:
    """Queries and changes of the identity tables, in the patch's open transaction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.book = Book()

    def _query(self, sql: str, keys: Iterable[str]) -> list[tuple[Any, ...]]:
        keys = list(keys)
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(keys), _BATCH):
            batch = keys[start : start + _BATCH]
            found += self.db.execute(sql.format(",".join("?" * len(batch))), batch).fetchall()
        return found

    def _claims(self, keys: Iterable[str]) -> dict[str, set[str]]:
        """alias -> claimants, for the aliases the keys claim now (all claimants)."""
        aliases = {a for (a,) in self._query("SELECT alias FROM claims WHERE key IN ({})", keys)}
        claims: dict[str, set[str]] = {}
        for alias, key in self._query("SELECT alias, key FROM claims WHERE alias IN ({})", aliases):
            claims.setdefault(alias, set()).add(key)
        return claims

    def _closure(self, start: set[str]) -> set[str]:
        """Every key whose identity group can meet one of ``start``'s (as the tables are now):
        keys of one identity form, claimants of one alias, claimants of an alias whose form
        is a key's form -- followed until nothing new is reached."""
        seen, frontier = set(start), set(start)
        forms: set[str] = set()
        aliases: set[str] = set()
        while frontier:
            claimed = self._query("SELECT alias FROM claims WHERE key IN ({})", frontier)
            new_aliases = {a for (a,) in claimed} - aliases
            new_forms = {identity_form(k) for k in frontier} | {
                identity_form(a) for a in new_aliases
            }
            new_forms -= forms
            forms |= new_forms
            by_form = self._query("SELECT alias FROM claims WHERE form IN ({})", new_forms)
            new_aliases |= {a for (a,) in by_form} - aliases
            aliases |= new_aliases
            reached = {
                k for (k,) in self._query("SELECT key FROM ident WHERE form IN ({})", new_forms)
            }
            reached |= {
                k for (k,) in self._query("SELECT key FROM claims WHERE alias IN ({})", new_aliases)
            }
            frontier = reached - seen
            seen |= frontier
        return seen

    def _side(self, keys: set[str]) -> Side:
        side = Side()
        for key, documented, target in self._query(
            "SELECT key, documented, target FROM ident WHERE key IN ({})", keys
        ):
            side.documented[key] = bool(documented)
            if target is not None:
                side.target[key] = target
        return side

    def _write_identities(
        self, touched: set[str], states: dict[str, ArticleState], before: Side
    ) -> None:
        """Write the touched keys' identity rows as ``states`` make them; ``before``: their
        rows now.  Only rows that change are written: most touched keys are related links
        whose rows stay, and each row rewritten costs a page or two of every index."""
        db = self.db
        gone = [(k,) for k in touched if k in before.documented and k not in states]
        db.executemany("DELETE FROM ident WHERE key = ?", gone)
        db.executemany(
            "INSERT INTO ident VALUES (?, ?, ?, NULL)",
            (
                (k, identity_form(k), int(not s.is_stub))
                for k, s in states.items()
                if k not in before.documented
            ),
        )
        db.executemany(
            "UPDATE ident SET documented = ? WHERE key = ?",
            (
                (int(not s.is_stub), k)
                for k, s in states.items()
                if k in before.documented and before.documented[k] == s.is_stub
            ),
        )
        old = set(self._query("SELECT key, alias FROM claims WHERE key IN ({})", touched))
        new = {(k, a) for k, s in states.items() for a in claims_of(s)}
        db.executemany("DELETE FROM claims WHERE key = ? AND alias = ?", sorted(old - new))
        db.executemany(
            "INSERT INTO claims VALUES (?, ?, ?)",
            ((a, identity_form(a), k) for k, a in sorted(new - old)),
        )

    def _states(self, keys: set[str]) -> dict[str, ArticleState]:
        found: dict[str, list[Any]] = {}
        for key, data in self._query("SELECT key, data FROM rows WHERE key IN ({})", keys):
            found.setdefault(key, []).append(plain_load(data))
        return {key: state_of(self.book, rows) for key, rows in found.items()}

    def _decide_identities(
        self, closure: set[str], states: dict[str, ArticleState], old_claims: dict[str, set[str]]
    ) -> Side:
        keys = {k: not states[k].is_stub for k in closure if k in states}
        claims: dict[str, set[str]] = {}
        for key in keys:
            for alias in claims_of(states[key]):
                claims.setdefault(alias, set()).add(key)
        redirect, conflicts = group_keys(keys, claims)
        listed = [with_files(c, [states[k].sources for k in c.urls]) for c in conflicts]
        db = self.db
        db.executemany(
            "DELETE FROM conflicts WHERE alias = ?", ((a,) for a in set(claims) | set(old_claims))
        )
        db.executemany(
            "INSERT INTO conflicts VALUES (?, ?)", ((c.alias, pack_conflict(c)) for c in listed)
        )
        return Side(keys, redirect)
