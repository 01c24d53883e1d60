"""Which article keys name one article: URL variants and shared AMP/original URLs (DESIGN §3).

Decided once everything is read, so the result is the same for any file order:

* keys with the same :func:`~newsgraph.graph.urls.identity_form` (equal up to a ``www.``
  host prefix and a trailing slash on the path) are one article;
* an article known only by an AMP or original URL (a related link, say) is the article
  that declares that URL as an alias; an alias that is the ``webUrl`` of a document of its
  own stays that document's article;
* two articles that declare the same alias are one article, and the sharing is reported
  as an :class:`AliasConflict` (both URLs, and the files).  A site's home page (a URL with
  the path ``/``) shared as an "original URL" merges nothing: it is only reported.

Each group of keys becomes the key of its best member: one a document describes, else
one only seen as a related link; then the smallest.

>>> merged, conflicts = group_keys({"https://x.org/a": True, "https://www.x.org/a/": False}, {})
>>> merged, conflicts
({'https://www.x.org/a/': 'https://x.org/a'}, [])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, replace

from newsgraph.graph.urls import identity_form

__all__ = ["FILES_LISTED", "AliasConflict", "group_keys", "with_files"]

#: How many files an :class:`AliasConflict` lists.
FILES_LISTED = 10


@dataclass(frozen=True, slots=True)
class AliasConflict:
    """An AMP or original URL that several articles declare (listed in ``report.json``).

    ``urls`` are the keys of the articles that declared it; ``files`` where they were read
    (the first :data:`FILES_LISTED`, sorted: a related link may come back in hundreds of
    files), ``files_total`` how many there are.
    """

    alias: str
    urls: tuple[str, ...]
    files: tuple[str, ...] = ()
    files_total: int = 0
    merged: bool = True

    def to_dict(self) -> dict[str, object]:
        """The JSON form of the report."""
        return {
            "alias": self.alias,
            "urls": list(self.urls),
            "files": list(self.files),
            "files_total": self.files_total,
            "merged": self.merged,
        }


def with_files(conflict: AliasConflict, sources: Iterable[Set[str]]) -> AliasConflict:
    """``conflict`` listing the files of its articles (``sources``: each article's files).

    >>> with_files(AliasConflict("https://x.org/amp", ("a", "b")), [{"2.md"}, {"1.md", "2.md"}])
    AliasConflict(alias='https://x.org/amp', urls=('a', 'b'), files=('1.md', '2.md'), files_total=2, merged=True)
    """
    files = sorted(set().union(*sources))
    return replace(conflict, files=tuple(files[:FILES_LISTED]), files_total=len(files))


class _Groups:
    """Union-find over identity forms; the smallest form is each group's root."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        while parent != item:
            grand = self.parent[parent]
            self.parent[item] = grand
            item, parent = parent, grand
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_keys(
    keys: Mapping[str, bool], claims: Mapping[str, Set[str]]
) -> tuple[dict[str, str], list[AliasConflict]]:
    """Map each article key that merges into another to that key; list the shared aliases.

    ``keys`` maps every article key to whether a document (not only a related link)
    describes it; ``claims`` maps each alias URL to the keys of the articles declaring it.
    The conflicts come without files (the caller knows them).
    """
    forms: dict[str, list[str]] = {}
    for key in keys:
        forms.setdefault(identity_form(key), []).append(key)
    documented = {form for form, members in forms.items() if any(keys[k] for k in members)}
    groups = _Groups()
    conflicts: list[AliasConflict] = []
    for alias in sorted(claims):
        claimants = sorted({identity_form(k) for k in claims[alias]})
        alias_form = identity_form(alias)
        if len(claimants) > 1:
            rest = alias_form.split("://", 1)[-1]
            home_page = rest.find("/") in (-1, len(rest) - 1)
            claimed_by = tuple(sorted(claims[alias]))
            conflicts.append(AliasConflict(alias, claimed_by, merged=not home_page))
            if home_page:
                continue
            for form in claimants[1:]:
                groups.union(claimants[0], form)
        if alias_form in forms and (alias_form not in documented or alias_form in claimants):
            for form in claimants:
                groups.union(alias_form, form)
    members: dict[str, list[str]] = {}
    for form, form_keys in forms.items():
        members.setdefault(groups.find(form), []).extend(form_keys)
    redirect: dict[str, str] = {}
    for group in members.values():
        if len(group) > 1:
            best = min(group, key=lambda k: (not keys[k], k))
            redirect.update((k, best) for k in group if k != best)
    return redirect, conflicts
