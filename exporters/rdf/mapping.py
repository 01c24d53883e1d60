"""The mapping from graph to RDF behind :mod:`newsgraph.exporters.rdf.statements` (DESIGN §5): node by node.

A :class:`Mapper` is built once per export and maps any slice of the nodes to the same
statements, whether the slices run in one process or several: IRIs are minted from keys
alone, and the source files the articles name are described at the very end
(:meth:`Mapper.sources`), from the paths the articles met (or, before the slices are
cut, :meth:`Mapper.source_paths`).

What it makes of a subject is a :data:`Description`: the subject's IRI term and its
statements as *pairs*, one string ``"<predicate> object"`` each, in N-Triples syntax.
A pair is formatted in one step and a subject's lines are joined in one call
(:func:`ntriples`), which is what makes N-Triples fast; the writers that need the
predicate and the object apart split a pair at its first space (predicates are IRIs).

Not supported: see :mod:`newsgraph.exporters.rdf.statements`.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any, Final

import networkx as nx

from newsgraph.exporters.rdf.iri import PLAIN_IRI, mint_iri
from newsgraph.exporters.rdf.literals import (
    TIMESTAMP,
    ValueTerms,
    as_list,
    is_plain_text,
    is_real_date,
)
from newsgraph.exporters.rdf.terms import ANALYSIS, Terms, iri
from newsgraph.exporters.rdf.vocabulary import DCTERMS, NG, PROV, SKOS, schema_vocabulary
from newsgraph.exporters.values import plain, sorted_nodes

__all__ = ["Description", "Mapper", "Statement", "ntriples", "statements"]

#: subject, predicate, object, graph -- N-Triples terms; graph "" is the default graph.
Statement = tuple[str, str, str, str]

Data = Mapping[str, Any]
Facts = list[str]
#: ``(attribute, predicate)`` rows of a table of fields, all of one kind.
Rows = Sequence[tuple[str, str]]
#: Appends the pairs of the fields in some rows: (node, data, rows, facts, language tag).
FieldWriter = Callable[[Any, Data, Rows, Facts, str], None]
#: Rows of one kind with the writer of that kind.
Group = tuple[FieldWriter, Rows]

#: A subject's IRI term, its pairs in the default graph and its pairs in the analysis
#: graph; a pair is ``"<predicate> object"`` in N-Triples syntax.
Description = tuple[str, list[str], list[str]]

# AMP URLs: "/amp/", ".amp", "?amp", "&outputType=amp", AMP caches.  Every alternative
# starts at an "amp" and checks what is around it (lookbehinds), so that the search jumps
# from one "amp" to the next (a literal prefix) instead of trying each position in turn.
_AMP: Final = re.compile(
    r"amp(?:(?<=[/.]amp)(?:[/.?]|$)|(?<=\.cdn\.amp)project\.org/"
    r"|(?<=[?&]amp)\b|(?<=[?&]outputType=amp)\b)"
)
_plain_iri: Final = PLAIN_IRI.fullmatch


def ntriples(descriptions: Iterable[Description], graph: str = "") -> str:
    """The N-Triples lines of ``descriptions``; with ``graph``, analysis lines are N-Quads.

    >>> ntriples([("<s>", ["<p> <o>", '<q> "v"'], ["<c> <n>"])], graph="<g>")
    '<s> <p> <o> .\\n<s> <q> "v" .\\n<s> <c> <n> <g> .\\n'
    """
    lines = []
    for subject, facts, analysis in descriptions:
        if facts:
            lines.append(_lines(subject, facts, " .\n"))
        if analysis:
            lines.append(_lines(subject, analysis, f" {graph} .\n" if graph else " .\n"))
    return "".join(lines)


def _lines(subject: str, pairs: list[str], end: str) -> str:
    return f"{subject} {f'{end}{subject} '.join(pairs)}{end}"


def statements(descriptions: Iterable[Description], graph: str) -> list[Statement]:
    """``descriptions`` as statements; analysis pairs go to ``graph``."""
    out = []
    for subject, facts, analysis in descriptions:
        for pairs, where in ((facts, ""), (analysis, graph)):
            for pair in pairs:
                predicate, _, obj = pair.partition(" ")
                out.append((subject, predicate, obj, where))
    return out


class Mapper(ValueTerms):
    """Maps the nodes of one graph to descriptions; collects problems in :attr:`problems`.

    >>> G = nx.MultiDiGraph(); G.add_node("tag:x", kind="tag", label="x")
    >>> mapper = Mapper(G, "https://example.org/id/", "http://schema.org/")
    >>> mapper.node("tag:x")[1][-1]
    '<http://www.w3.org/2004/02/skos/core#inScheme> <https://example.org/id/tags>'
    """

    def __init__(self, G: nx.MultiDiGraph, base: str, schema: str, documents: int | None = None):
        super().__init__(Terms(schema_vocabulary(schema), base))
        if documents is None:  # a graph read back from graph.json carries its count
            documents = G.graph.get("documents")
        self.G, self.base, self.documents = G, base, documents
        self.nodes = sorted_nodes(G)
        # networkx's adjacency() hands out its own dicts, which iterate far faster than views;
        # so are plain dict lookups of node data faster than G.nodes[node].
        self.adjacency: dict[Any, Any] = dict(G.adjacency())
        self.data: dict[Any, Any] = dict(G.nodes(data=True))
        self.multigraph = G.is_multigraph()
        self.minted: dict[Any, str] = {}  # node -> IRI term, filled as nodes are met
        self.source_iris: dict[Any, str] = {}  # path -> IRI term of every source met
        self.derived: dict[Any, str] = {}  # path -> its "prov:wasDerivedFrom" pair
        self.analysis_graph = iri(f"{base}analysis")
        self.article_fields = self.bind(self.t.article_fields)
        self.image_fields = self.bind(self.t.image_fields)
        self.writers = {
            "article": self.article,
            "provider": self.provider,
            "topic": self.concept,
            "tag": self.concept,
            "image": self.image,
        }

    def node(self, node: Any) -> Description | None:
        """The description of ``node`` (None for a kind RDF has no class for)."""
        data = self.data[node]
        kind = data.get("kind")
        write = self.writers.get(kind) if isinstance(kind, str) else None
        if write is None:
            self.unmapped_once(node, data, f"node kind {kind!r}")
            return None
        return write(node, data)

    def header(self, entities: int | None = None) -> list[Description]:
        """The dataset and the two concept schemes (written first).

        ``entities`` is the number of nodes (the graph's, unless given).
        """
        t, base, graph = self.t, self.base, self.G.graph
        name = graph.get("name") or "newsgraph"
        dataset = [f"{t.type} {t.Dataset}", f"{t.title} {self.text('graph', {}, 'name', name)}"]
        version = graph.get("newsgraph_version")
        if version is not None:
            dataset.append(f"{t.builderVersion} {self.text('graph', {}, 'version', version)}")
        dataset.append(f"{t.uriSpace} {self.text('graph', {}, 'base', base)}")
        nodes = self.G.number_of_nodes() if entities is None else entities
        dataset.append(f'{t.entities} "{nodes}"{t.integer}')
        if self.documents is not None:
            dataset.append(f'{t.documents} "{int(self.documents)}"{t.integer}')
        for vocabulary in sorted({t.schema.iri, SKOS.iri, DCTERMS.iri, PROV.iri, NG.iri}):
            dataset.append(f"{t.vocabulary} {iri(vocabulary)}")
        out: list[Description] = [(iri(f"{base}dataset"), dataset, [])]
        for scheme, label in ((t.topics, "topics"), (t.tags, "tags")):
            out.append((scheme, [f"{t.type} {t.ConceptScheme}", f'{t.prefLabel} "{label}"'], []))
        return out

    def sources(self, paths: Iterable[Any]) -> list[Description]:
        """The ``prov:Entity`` of each source file (each path once), in path order (written last)."""
        entity, label = self.t.type_entity, self.t.label
        out: list[Description] = []
        for path in sorted(paths, key=str):
            name = f'"{path}"' if is_plain_text(path) else self.text(path, {}, "path", path)
            out.append((self.source_iri(path), [entity, f"{label} {name}"], []))
        return out

    def source_paths(self) -> dict[Any, None]:
        """The source files the articles name, found without describing anything."""
        paths: dict[Any, None] = {}
        for data in self.data.values():
            kind = data.get("kind")
            if isinstance(kind, str) and kind == "article":
                paths.update(dict.fromkeys(as_list(data.get("sources"))))
        return paths

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

    def derived_from(self, path: Any) -> str:
        pair = self.derived.get(path)
        if pair is None:
            pair = self.derived[path] = f"{self.t.wasDerivedFrom} {self.source_iri(path)}"
        return pair

    # --- nodes -----------------------------------------------------------------------

    def article(self, node: Any, data: Mapping[str, Any]) -> Description:
        t = self.t
        s = self.minted.get(node) or self.node_iri(node)
        # a video is a NewsArticle too, so that a query for news articles finds it
        video = data.get("type") == "video"
        facts = [t.type_video, t.type_article] if video else [t.type_article]
        lang = self.language(node, data) if "locale" in data else ""
        self.fields(node, data, self.article_fields, facts, lang)
        self.edges(node, data, facts)
        analysis = []
        if "community" in data or "story" in data:
            for attr in sorted(ANALYSIS.intersection(data)):
                if (term := self.number(node, data, attr, data[attr])) is not None:
                    analysis.append(f"{t.analysis[attr]} {term}")
        self.check_unmapped(node, data, t.article_attributes)
        return s, facts, analysis

    def provider(self, node: Any, data: Mapping[str, Any]) -> Description:
        t = self.t
        s = self.node_iri(node)
        facts = [t.type_organization]
        name = data.get("name") or data.get("label")
        if name is not None:
            facts.append(f"{t.name} {self.text(node, data, 'name', name)}")
        for other in as_list(data.get("names")):
            if other != name:
                facts.append(f"{t.alternateName} {self.text(node, data, 'names', other)}")
        domain = data.get("domain")
        if domain is not None:
            facts.append(f"{t.domain} {self.text(node, data, 'domain', domain)}")
            if (term := self.url(node, data, "domain", f"https://{domain}/")) is not None:
                facts.append(f"{t.url} {term}")
        self.edges(node, data, facts)
        self.check_unmapped(node, data, t.provider_attributes)
        return s, facts, []

    def concept(self, node: Any, data: Mapping[str, Any]) -> Description:
        t = self.t
        s = self.node_iri(node)
        name = data.get("name") or data.get("label") or str(node).partition(":")[2]
        facts = [t.type_concept, f"{t.prefLabel} {self.text(node, data, 'name', name)}"]
        for other in as_list(data.get("names")):
            if other != name:
                facts.append(f"{t.altLabel} {self.text(node, data, 'names', other)}")
        facts.append(f"{t.inScheme} {t.topics if data.get('kind') == 'topic' else t.tags}")
        self.edges(node, data, facts)
        self.check_unmapped(node, data, t.concept_attributes)
        return s, facts, []

    def image(self, node: Any, data: Mapping[str, Any]) -> Description:
        s = self.minted.get(node) or self.node_iri(node)
        facts = [self.t.type_image]
        self.fields(node, data, self.image_fields, facts)
        self.edges(node, data, facts)
        self.check_unmapped(node, data, self.t.image_attributes)
        return s, facts, []

    # --- fields ----------------------------------------------------------------------
    # The hot path of big exports.  A table of fields is bound into groups of rows of one
    # kind, and each group's writer loops over its rows: one call per group, not per value.
    # Plain text, plain URLs, timestamps and integers are formatted inline (see
    # is_plain_text); only values that need escaping, checking or reporting go through
    # ValueTerms.

    def fields(
        self, node: Any, data: Data, groups: Sequence[Group], facts: Facts, lang: str = ""
    ) -> None:
        """Append the pairs of every field of a bound table (:meth:`bind`) that ``data`` holds."""
        for write, rows in groups:
            write(node, data, rows, facts, lang)

    def bind(self, fields: Iterable[tuple[str, str, str]]) -> list[Group]:
        """A table of :class:`Terms` as groups of ``(attribute, predicate)`` rows of one kind,
        each with the writer of its kind."""
        writers: dict[str, FieldWriter] = {
            "text": self.text_fields,
            "url": self.url_fields,
            "urls": self.urls_fields,
            "date": self.date_fields,
            "strings": self.strings_fields,
            "number": self.number_fields,
            "json": self.json_fields,
            "sources": self.sources_fields,
        }
        return [
            (writers[kind], tuple((attr, predicate) for attr, predicate, _ in rows))
            for kind, rows in itertools.groupby(fields, key=itemgetter(2))
        ]

    def text_fields(self, node: Any, data: Data, rows: Rows, facts: Facts, lang: str) -> None:
        for attr, p in rows:
            if (value := data.get(attr)) is None:
                pass
            elif is_plain_text(value):
                facts.append(f'{p} "{value}"{lang}')
            else:
                facts.append(f"{p} {self.text(node, data, attr, value, lang)}")

    def url_fields(self, node: Any, data: Data, rows: Rows, facts: Facts, lang: str) -> None:
        for attr, p in rows:
            if (value := data.get(attr)) is None:
                pass
            elif type(value) is str and _plain_iri(value):
                facts.append(f"{p} <{value}>")
            elif (term := self.url(node, data, attr, value)) is not None:
                facts.append(f"{p} {term}")

    def urls_fields(self, node: Any, data: Data, rows: Rows, facts: Facts, lang: str) -> None:
        """Other URLs of an article than its ``url``: AMP pages apart from the rest."""
        url, amp = data.get("url"), self.t.ampUrl
        term: str | None
        for attr, p in rows:
            for other in as_list(data.get(attr)):
                if other == url:
                    continue
                if type(other) is str and _plain_iri(other):
                    term = f"<{other}>"
                elif (term := self.url(node, data, attr, other)) is None:
                    continue
                facts.append(f"{amp if _AMP.search(other) else p} {term}")

    def date_fields(self, node: Any, data: Data, rows: Rows, facts: Facts, lang: str) -> None:
        date_time = self.t.dateTime
        for attr, p in rows:
            if (value := data.get(attr)) is None:
                pass
            elif type(value) is str and TIMESTAMP.fullmatch(value) and is_real_date(value):
                facts.append(f'{p} "{value}"{date_time}')
            elif (term := self.timestamp(node, data, attr, value)) is not None:
                facts.append(f"{p} {term}")

    def strings_fields(self, node: Any, data: Data, rows: Rows, facts: Facts, lang: str) -> None:
        """Text without a language tag; a list gives one pair per item."""
        for attr, p in rows:
            if (value := data.get(attr)) is None:
                pass
            elif is_plain_text(value):
                facts.append(f'{p} "{value}"')
            else:
                facts += [f"{p} {self.text(node, data, attr, item)}" for item in as_list(value)]

    def number_fields(self, node: Any, data: Data, rows: Rows, facts: Facts, lang: str) -> None:
        t = self.t
        for attr, p in rows:
            value = data.get(attr)
            if type(value) is int:
                facts.append(f'{p} "{value}"{t.integer}')
            elif type(value) is bool:
                facts.append(f"{p} {t.true if value else t.false}")
            elif value is not None and (term := self.number(node, data, attr, value)):
                facts.append(f"{p} {term}")

    def json_fields(self, node: Any, data: Data, rows: Rows, facts: Facts, lang: str) -> None:
        """Mappings as compact JSON literals (an empty one is left out)."""
        for attr, p in rows:
            if value := data.get(attr):
                text = json.dumps(
                    plain(value), ensure_ascii=False, sort_keys=True, separators=(",", ":")
                )
                facts.append(f"{p} {self.text(node, data, attr, text, self.t.json)}")

    def sources_fields(self, node: Any, data: Data, rows: Rows, facts: Facts, lang: str) -> None:
        """``prov:wasDerivedFrom`` each source file (the pair made once per file)."""
        derived, derived_from = self.derived, self.derived_from
        for attr, _ in rows:
            paths = data.get(attr)
            if paths is not None:
                facts += [derived.get(path) or derived_from(path) for path in as_list(paths)]

    # --- edges -----------------------------------------------------------------------

    def edges(self, node: Any, data: Mapping[str, Any], facts: list[str]) -> None:
        """Append a pair per outgoing edge, by target key and then edge key."""
        neighbours = self.adjacency[node]
        if not neighbours:
            return
        predicates = self.t.edges.get(str(data.get("kind")), {})
        minted, add = self.minted, facts.append
        for target in _sorted(neighbours) if len(neighbours) > 1 else neighbours:
            o = minted.get(target) or self.node_iri(target)
            keyed = neighbours[target] if self.multigraph else {None: neighbours[target]}
            for key in keyed if len(keyed) == 1 else _sorted(keyed):
                kind = keyed[key].get("kind", key)
                try:
                    add(f"{predicates[kind]} {o}")
                except (KeyError, TypeError):  # TypeError: an unhashable kind
                    self.unmapped_once(
                        node, data, f"edge kind {kind!r} from a {data.get('kind')!r} node"
                    )

    def check_unmapped(self, node: Any, data: Mapping[str, Any], known: frozenset[str]) -> None:
        if not known.issuperset(data):
            for attr in sorted(set(data) - known, key=str):
                self.unmapped_once(node, data, f"attribute {attr!r} of {data.get('kind')} nodes")


def _sorted(keys: Iterable[Any]) -> list[Any]:
    try:
        return sorted(keys)
    except TypeError:  # keys of mixed types
        return sorted(keys, key=str)
