"""The mapping from graph to RDF statements behind :mod:`exporters.rdf` (DESIGN §5).

A :class:`Mapper` is built once per export and maps any slice of the nodes to the same
statements, whether the slices run in one process or several: IRIs are minted from keys
alone, and the source files the articles name are described at the very end
(:meth:`Mapper.sources`), from the set of paths every slice reports.

Not supported: see :mod:`exporters.rdf`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

import networkx as nx

from exporters._rdf_terms import ANALYSIS, Terms, iri
from exporters._values import MISSING, clean_text, iso_timestamp, node_problem, plain, sorted_nodes
from exporters.iri import PLAIN_IRI, iri_problem, mint_iri
from exporters.vocabulary import (
    DCTERMS,
    NG,
    PROV,
    SKOS,
    schema_vocabulary,
)
from graph.model import Problem, Severity

__all__ = ["Mapper", "Statement", "split_literal"]

#: subject, predicate, object, graph -- N-Triples terms; graph "" is the default graph.
Statement = tuple[str, str, str, str]

_NEEDS_ESCAPE: Final = re.compile('["\\\\\n\t\x00-\x1f\ud800-\udfff\ufffe\uffff]')
_TIMESTAMP: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
_DATE: Final = re.compile(r"\d{4}-\d\d-\d\d")
_LANGUAGE: Final = re.compile(r"[a-z]{1,8}(-[a-z0-9]{1,8})*")
# AMP URLs: "/amp/", ".amp", "?amp", "&outputType=amp", AMP caches.  Every alternative
# starts at an "amp" and checks what is around it (lookbehinds), so that the search jumps
# from one "amp" to the next (a literal prefix) instead of trying each position in turn.
_AMP: Final = re.compile(
    r"amp(?:(?<=[/.]amp)(?:[/.?]|$)|(?<=\.cdn\.amp)project\.org/"
    r"|(?<=[?&]amp)\b|(?<=[?&]outputType=amp)\b)"
)
_LITERAL: Final = re.compile(r'"(.*)"(?:@([^"]+)|\^\^<([^>]+)>)?', re.DOTALL)
_UNESCAPE: Final = re.compile(r"\\(.)")
_ESCAPES: Final = {"n": "\n", "t": "\t", "r": "\r"}
_plain_iri: Final = PLAIN_IRI.fullmatch


def split_literal(term: str) -> tuple[str, str | None, str | None]:
    """Lexical form, language tag and datatype IRI of a literal in N-Triples syntax.

    >>> split_literal('"a\\"b"@en'), split_literal('"1"^^<http://x.org/int>')
    (('a"b', 'en', None), ('1', None, 'http://x.org/int'))
    """
    match = _LITERAL.fullmatch(term)
    if match is None:
        raise ValueError(f"not an N-Triples literal: {term!r}")
    lexical = _UNESCAPE.sub(lambda m: _ESCAPES.get(m[1], m[1]), match[1])
    return lexical, match[2], match[3]


def _is_plain_text(value: Any) -> bool:
    """Text that goes into a literal as it is: printable, without quotes or backslashes.

    ``isprintable()`` with two ``in`` tests is twice as fast as a regular expression.
    """
    return type(value) is str and value.isprintable() and '"' not in value and "\\" not in value


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


class Mapper:
    """Maps the nodes of one graph to statements; collects problems in :attr:`problems`.

    >>> G = nx.MultiDiGraph(); G.add_node("tag:x", kind="tag", label="x")
    >>> mapper = Mapper(G, "https://example.org/id/", "http://schema.org/")
    >>> [p for s, p, o, g in mapper.node("tag:x")][-1]
    '<http://www.w3.org/2004/02/skos/core#inScheme>'
    """

    def __init__(self, G: nx.MultiDiGraph, base: str, schema: str, documents: int | None = None):
        self.G, self.base, self.documents = G, base, documents
        self.t = Terms(schema_vocabulary(schema), base)
        self.problems: list[Problem] = []
        self.nodes = sorted_nodes(G)
        # networkx's adjacency() hands out its own dicts, which iterate far faster than views;
        # so are plain dict lookups of node data faster than G.nodes[node].
        self.adjacency: dict[Any, Any] = dict(G.adjacency())
        self.data: dict[Any, Any] = dict(G.nodes(data=True))
        self.multigraph = G.is_multigraph()
        self.minted: dict[Any, str] = {}  # node -> IRI term, filled as nodes are met
        self.source_iris: dict[Any, str] = {}  # path -> IRI term of every source seen
        self.unmapped: set[str] = set()
        self.analysis_graph = iri(f"{base}analysis")
        self.writers = {
            "article": self.article,
            "provider": self.provider,
            "topic": self.concept,
            "tag": self.concept,
            "image": self.image,
        }

    def node(self, node: Any) -> list[Statement]:
        """The statements about ``node``; the source files it names are remembered."""
        data = self.data[node]
        kind = data.get("kind")
        write = self.writers.get(kind) if isinstance(kind, str) else None
        if write is None:
            self.unmapped_once(node, data, f"node kind {kind!r}")
            return []
        return write(node, data)

    def sources(self, paths: Iterable[Any]) -> list[Statement]:
        """The ``prov:Entity`` of each source file, in path order (written last)."""
        t, out = self.t, []
        for path in sorted(set(paths), key=str):
            source = self.source_iri(path)
            out += [
                (source, t.type, t.Entity, ""),
                (source, t.label, self.text(path, {}, "path", path), ""),
            ]
        return out

    # --- terms -----------------------------------------------------------------------

    def node_iri(self, node: Any) -> str:
        term = self.minted.get(node)
        if term is None:
            term = self.minted[node] = iri(mint_iri(self.base, str(node)))
        return term

    def source_iri(self, path: Any) -> str:
        term = self.source_iris.get(path)
        if term is None:
            term = self.source_iris[path] = iri(mint_iri(self.base, f"source:{path}"))
        return term

    def text(
        self, node: Any, data: Mapping[str, Any], attr: str, value: Any, suffix: str = ""
    ) -> str:
        if not isinstance(value, str):
            value = str(value)
        if _NEEDS_ESCAPE.search(value) is None:
            return f'"{value}"{suffix}'
        cleaned, lost = clean_text(value)
        if lost:
            self.problem(
                node,
                data,
                "cleaned-text",
                f"{attr}: removed characters XML cannot hold",
                Severity.INFO,
            )
        return f'"{_escape(cleaned)}"{suffix}'

    def url(self, node: Any, data: Mapping[str, Any], attr: str, value: Any) -> str | None:
        reason = iri_problem(value)
        if reason is None:
            return iri(value)
        self.problem(
            node, data, "bad-iri", f"{attr}: {value!r} left out: {reason}", Severity.WARNING
        )
        return None

    def number(self, node: Any, data: Mapping[str, Any], attr: str, value: Any) -> str | None:
        if isinstance(value, bool):
            return f'"{str(value).lower()}"{self.t.boolean}'
        if isinstance(value, int):
            return f'"{value}"{self.t.integer}'
        if isinstance(value, float) and plain(value) is not MISSING:
            return f'"{value!r}"{self.t.double}'
        self.problem(
            node,
            data,
            "bad-number",
            f"{attr}: {value!r} left out: not a finite number",
            Severity.WARNING,
        )
        return None

    def timestamp(self, node: Any, data: Mapping[str, Any], attr: str, value: Any) -> str | None:
        if isinstance(value, datetime | date):
            value = iso_timestamp(value)
        if isinstance(value, str):
            datatype = self.t.dateTime if _TIMESTAMP.fullmatch(value) else None
            datatype = self.t.date if datatype is None and _DATE.fullmatch(value) else datatype
            if datatype is not None and _is_real_date(value):
                return f'"{value}"{datatype}'
        self.problem(
            node,
            data,
            "bad-date",
            f"{attr}: {value!r} left out: not an ISO 8601 date",
            Severity.WARNING,
        )
        return None

    def language(self, node: Any, data: Mapping[str, Any]) -> str:
        locale = data.get("locale")
        if not isinstance(locale, str):
            return ""
        tag = locale.replace("_", "-").lower()
        if _LANGUAGE.fullmatch(tag):
            return f"@{tag}"
        self.problem(
            node,
            data,
            "bad-language",
            f"locale {locale!r} is not a language tag; text is written without one",
            Severity.WARNING,
        )
        return ""

    def problem(
        self, node: Any, data: Mapping[str, Any], code: str, message: str, severity: Severity
    ) -> None:
        self.problems.append(node_problem(str(node), data, code, message, severity))

    def unmapped_once(self, node: Any, data: Mapping[str, Any], what: str) -> None:
        if what not in self.unmapped:
            self.unmapped.add(what)
            self.problem(
                node, data, "unmapped-attribute", f"{what} is not written to RDF", Severity.INFO
            )

    # --- nodes -----------------------------------------------------------------------

    def header(self) -> list[Statement]:
        t, base = self.t, self.base
        dataset = iri(f"{base}dataset")
        name = self.G.graph.get("name") or "newsgraph"
        out = [
            (dataset, t.type, t.Dataset, ""),
            (dataset, t.title, self.text("graph", {}, "name", name), ""),
        ]
        version = self.G.graph.get("newsgraph_version")
        if version is not None:
            out.append((dataset, t.builderVersion, self.text("graph", {}, "version", version), ""))
        out.append((dataset, t.uriSpace, self.text("graph", {}, "base", base), ""))
        out.append((dataset, t.entities, f'"{self.G.number_of_nodes()}"{t.integer}', ""))
        if self.documents is not None:
            out.append((dataset, t.documents, f'"{int(self.documents)}"{t.integer}', ""))
        for vocabulary in sorted({self.t.schema.iri, SKOS.iri, DCTERMS.iri, PROV.iri, NG.iri}):
            out.append((dataset, t.vocabulary, iri(vocabulary), ""))
        for scheme, label in ((t.topics, "topics"), (t.tags, "tags")):
            out += [(scheme, t.type, t.ConceptScheme, ""), (scheme, t.prefLabel, f'"{label}"', "")]
        return out

    def article(self, node: Any, data: Mapping[str, Any]) -> list[Statement]:
        # The hot path of big exports: plain text, plain URLs, dates and numbers are
        # formatted inline (see _is_plain_text), and only values that need escaping,
        # checking or reporting go through the helpers.
        t, get = self.t, data.get
        try:
            s = self.minted[node]
        except KeyError:
            s = self.node_iri(node)
        out: list[Statement] = [
            (s, t.type, t.VideoObject if get("type") == "video" else t.NewsArticle, "")
        ]
        add = out.append
        lang = self.language(node, data) if "locale" in data else ""
        for attr, predicate in t.article_text:
            value = get(attr)
            if value is not None:
                if _is_plain_text(value):
                    add((s, predicate, f'"{value}"{lang}', ""))
                else:
                    add((s, predicate, self.text(node, data, attr, value, lang), ""))
        url = get("url")
        if url is not None:
            if type(url) is str and _plain_iri(url):
                add((s, t.url, f"<{url}>", ""))
            elif (term := self.url(node, data, "url", url)) is not None:
                add((s, t.url, term, ""))
        urls = get("urls")
        if urls is not None:
            for other in _as_list(urls):
                if other == url:
                    continue
                if type(other) is str and _plain_iri(other):
                    term = f"<{other}>"
                elif (term := self.url(node, data, "urls", other)) is None:
                    continue
                add((s, t.ampUrl if _AMP.search(other) else t.alternateUrl, term, ""))
        for attr, predicate in t.article_dates:
            value = get(attr)
            if value is not None:
                if type(value) is str and _TIMESTAMP.fullmatch(value) and _is_real_date(value):
                    add((s, predicate, f'"{value}"{t.dateTime}', ""))
                elif (term := self.timestamp(node, data, attr, value)) is not None:
                    add((s, predicate, term, ""))
        for attr, predicate in t.article_strings:
            value = get(attr)
            if value is None:
                continue
            if _is_plain_text(value):
                add((s, predicate, f'"{value}"', ""))
                continue
            for item in _as_list(value):
                add((s, predicate, self.text(node, data, attr, item), ""))
        for attr, predicate in t.article_numbers:
            value = get(attr)
            if type(value) is int:
                add((s, predicate, f'"{value}"{t.integer}', ""))
            elif type(value) is bool:
                add((s, predicate, t.true if value else t.false, ""))
            elif value is not None and (term := self.number(node, data, attr, value)) is not None:
                add((s, predicate, term, ""))
        extra = get("extra")
        if extra:
            text = json.dumps(
                plain(extra), ensure_ascii=False, sort_keys=True, separators=(",", ":")
            )
            add((s, t.extra, self.text(node, data, "extra", text, t.json), ""))
        paths = get("sources")
        if paths is not None:
            derived, known, source_iri = t.wasDerivedFrom, self.source_iris, self.source_iri
            out += [
                (s, derived, known.get(path) or source_iri(path), "") for path in _as_list(paths)
            ]
        self.edges(node, data, s, out)
        if "community" in data or "story" in data:
            for attr in sorted(ANALYSIS.intersection(data)):
                if (term := self.number(node, data, attr, data[attr])) is not None:
                    add((s, t.analysis[attr], term, self.analysis_graph))
        self.check_unmapped(node, data, t.article_attributes)
        return out

    def provider(self, node: Any, data: Mapping[str, Any]) -> list[Statement]:
        t = self.t
        s = self.node_iri(node)
        out = [(s, t.type, t.Organization, "")]
        name = data.get("name") or data.get("label")
        if name is not None:
            out.append((s, t.name, self.text(node, data, "name", name), ""))
        for other in _as_list(data.get("names")):
            if other != name:
                out.append((s, t.alternateName, self.text(node, data, "names", other), ""))
        domain = data.get("domain")
        if domain is not None:
            out.append((s, t.domain, self.text(node, data, "domain", domain), ""))
            if (term := self.url(node, data, "domain", f"https://{domain}/")) is not None:
                out.append((s, t.url, term, ""))
        self.edges(node, data, s, out)
        self.check_unmapped(node, data, t.provider_attributes)
        return out

    def concept(self, node: Any, data: Mapping[str, Any]) -> list[Statement]:
        t = self.t
        s = self.node_iri(node)
        name = data.get("name") or data.get("label") or str(node).partition(":")[2]
        out = [
            (s, t.type, t.Concept, ""),
            (s, t.prefLabel, self.text(node, data, "name", name), ""),
        ]
        for other in _as_list(data.get("names")):
            if other != name:
                out.append((s, t.altLabel, self.text(node, data, "names", other), ""))
        out.append((s, t.inScheme, t.topics if data.get("kind") == "topic" else t.tags, ""))
        self.edges(node, data, s, out)
        self.check_unmapped(node, data, t.concept_attributes)
        return out

    def image(self, node: Any, data: Mapping[str, Any]) -> list[Statement]:
        # Many in big graphs: the fast paths of article() for URLs, numbers and text.
        t, get = self.t, data.get
        try:
            s = self.minted[node]
        except KeyError:
            s = self.node_iri(node)
        out = [(s, t.type, t.ImageObject, "")]
        add = out.append
        url = get("url")
        if url is not None:
            if type(url) is str and _plain_iri(url):
                add((s, t.contentUrl, f"<{url}>", ""))
            elif (term := self.url(node, data, "url", url)) is not None:
                add((s, t.contentUrl, term, ""))
        for attr, predicate in t.image_numbers:
            value = get(attr)
            if type(value) is int:
                add((s, predicate, f'"{value}"{t.integer}', ""))
            elif type(value) is bool:
                add((s, predicate, t.true if value else t.false, ""))
            elif value is not None and (term := self.number(node, data, attr, value)) is not None:
                add((s, predicate, term, ""))
        for attr, predicate in t.image_text:
            value = get(attr)
            if value is not None:
                if _is_plain_text(value):
                    add((s, predicate, f'"{value}"', ""))
                else:
                    add((s, predicate, self.text(node, data, attr, value), ""))
        self.edges(node, data, s, out)
        self.check_unmapped(node, data, t.image_attributes)
        return out

    def edges(self, node: Any, data: Mapping[str, Any], s: str, out: list[Statement]) -> None:
        # Subscripts in try blocks, not .get(): this loop runs once per edge.
        neighbours = self.adjacency[node]
        if not neighbours:
            return
        predicates = self.t.edges.get(str(data.get("kind")), {})
        targets = _sorted(neighbours) if len(neighbours) > 1 else neighbours
        minted, append, multigraph = self.minted, out.append, self.multigraph
        for target in targets:
            try:
                o = minted[target]
            except KeyError:
                o = self.node_iri(target)
            keyed = neighbours[target] if multigraph else {None: neighbours[target]}
            if len(keyed) == 1:
                for key, attrs in keyed.items():
                    try:
                        append((s, predicates[attrs.get("kind", key)], o, ""))
                    except (KeyError, TypeError):  # TypeError: an unhashable kind
                        self.unmapped_edge(node, data, attrs.get("kind", key))
                continue
            for key in _sorted(keyed):
                kind = keyed[key].get("kind", key)
                try:
                    append((s, predicates[kind], o, ""))
                except (KeyError, TypeError):
                    self.unmapped_edge(node, data, kind)

    def unmapped_edge(self, node: Any, data: Mapping[str, Any], kind: Any) -> None:
        source = data.get("kind")
        self.unmapped_once(node, data, f"edge kind {kind!r} from a {source!r} node")

    def check_unmapped(self, node: Any, data: Mapping[str, Any], known: frozenset[str]) -> None:
        if not known.issuperset(data):
            for attr in sorted(set(data) - known, key=str):
                self.unmapped_once(node, data, f"attribute {attr!r} of {data.get('kind')} nodes")


def _sorted(keys: Iterable[Any]) -> list[Any]:
    try:
        return sorted(keys)
    except TypeError:  # keys of mixed types
        return sorted(keys, key=str)


def _as_list(value: Any) -> Sequence[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        # A repeated item makes a repeated triple, which is the same triple: no need to dedupe.
        return [v for v in value if v is not None] if None in value else value
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return [value]


def _is_real_date(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True
