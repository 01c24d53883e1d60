"""The cookbook: common questions, each written for networkx, SPARQL and Cypher.

Every :class:`Question` has a networkx function, a SPARQL query (for the RDF a load puts
in Oxigraph or any SPARQL store) and a Cypher query (for LadybugDB and FalkorDB), which
give the same rows once sorted (:func:`answer`).  Parameters are ``$name`` in both
languages.  ``docs/cookbook.md`` shows them; ``tests/stores`` checks that they agree on
the sample and on the real corpus.

Times are compared in UTC: SPARQL on ``xsd:dateTime`` literals, LadybugDB on
``TIMESTAMP`` values, FalkorDB on ISO 8601 text (same query, parameters given as each
store keeps times).
The community and story questions need a graph annotated with
:func:`newsgraph.annotate` before the load.

>>> from newsgraph.graph.examples import toy_graph
>>> sorted(QUESTIONS["articles_per_provider"].networkx(toy_graph(), {}))[:1]
[('a.example', 4)]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import networkx as nx

from newsgraph.exporters.stores._common import Rows, Store, to_timestamp
from newsgraph.exporters.stores.sparql import prefixes

__all__ = ["QUESTIONS", "Question", "answer", "example_parameters"]

Answer = list[tuple[Any, ...]]


@dataclass(frozen=True)
class Question:
    """One question in three languages; ``parameters`` names what it needs."""

    name: str
    title: str
    networkx: Callable[[nx.MultiDiGraph, Mapping[str, Any]], Answer]
    sparql: str
    cypher: str
    parameters: tuple[str, ...] = ()

    def text(self, store: Store) -> str:
        """The query this store understands."""
        if store.language == "sparql":
            return prefixes(getattr(store, "options")) + self.sparql  # noqa: B009
        return self.cypher


def answer(
    question: Question, where: nx.MultiDiGraph | Store, parameters: Mapping[str, Any]
) -> Answer:
    """The question's rows from a graph or a store, sorted, with one kind of value per column."""
    params = {name: parameters[name] for name in question.parameters}
    if isinstance(where, nx.Graph):
        rows = question.networkx(where, params)
    else:
        if "since" in params and type(where).__name__ == "LadybugFile":
            params = {
                **params,
                "since": to_timestamp(params["since"]),
                "until": to_timestamp(params["until"]),
            }
        rows = where.rows(question.text(where), params)[1]
    return sorted((tuple(_same(v) for v in row) for row in rows), key=repr)


def example_parameters(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Parameters that give non-empty answers on ``G``: its busiest topic, article, community.

    The time range is the first half (by date) of the topic's articles.
    """
    data = G.nodes
    topics = Counter(t for _, t, k in G.edges(data="kind") if k == "about")
    topic_node = max(sorted(topics), key=topics.__getitem__)
    dates = sorted(
        data[a]["published"]
        for a, t, k in G.edges(data="kind")
        if k == "about" and t == topic_node and data[a].get("published")
    )
    related = Counter(n for a, b, k in G.edges(data="kind") if k == "related_to" for n in (a, b))
    article = max(sorted(n for n in related if data[n].get("url")), key=related.__getitem__)
    communities = Counter(
        d["community"]
        for _, d in G.nodes(data=True)
        if d.get("kind") == "article" and "community" in d
    )
    return {
        "topic": data[topic_node].get("name"),
        "since": dates[0] if dates else "2000-01-01T00:00:00Z",
        "until": dates[len(dates) // 2] if dates else "2100-01-01T00:00:00Z",
        "url": data[article]["url"],
        "community": max(sorted(communities), key=communities.__getitem__) if communities else 0,
    }


def _same(value: Any) -> Any:
    """Stores give counts as int or float and URLs as text: one form for comparing."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def edges_of_kind(G: nx.MultiDiGraph, kind: str) -> list[tuple[Any, Any]]:
    """The ``(source, target)`` pairs of the edges of one kind."""
    return [(a, b) for a, b, k in G.edges(data="kind") if k == kind]


def _articles_per_provider(G: nx.MultiDiGraph, p: Mapping[str, Any]) -> Answer:
    counts: Counter[Any] = Counter()
    for _, provider in set(edges_of_kind(G, "published_by")):
        counts[G.nodes[provider].get("domain")] += 1
    return list(counts.items())


def _topics_by_articles(G: nx.MultiDiGraph, p: Mapping[str, Any]) -> Answer:
    topics = (topic for _, topic in set(edges_of_kind(G, "about")))
    counts: Counter[Any] = Counter(G.nodes[topic].get("name") for topic in topics)
    return list(counts.items())


def _topic_in_range(G: nx.MultiDiGraph, p: Mapping[str, Any]) -> Answer:
    since, until = to_timestamp(p["since"]), to_timestamp(p["until"])
    out = set()
    for article, topic in edges_of_kind(G, "about"):
        published = G.nodes[article].get("published")
        if (
            G.nodes[topic].get("name") == p["topic"]
            and published
            and since <= to_timestamp(published) < until
        ):
            out.add((G.nodes[article].get("url"),))
    return list(out)


def _topic_pairs(G: nx.MultiDiGraph, p: Mapping[str, Any]) -> Answer:
    topics: dict[Any, set[Any]] = defaultdict(set)
    for a, t in edges_of_kind(G, "about"):
        topics[a].add(G.nodes[t].get("name"))
    pairs: Counter[tuple[Any, Any]] = Counter()
    for names in topics.values():
        pairs.update(combinations(sorted(names), 2))
    return [(x, y, n) for (x, y), n in pairs.items()]


def _neighbourhood(G: nx.MultiDiGraph, p: Mapping[str, Any]) -> Answer:
    out = set()
    for a, b in edges_of_kind(G, "related_to"):
        for x, y in ((a, b), (b, a)):
            if G.nodes[x].get("url") == p["url"] and y != x:
                out.add((G.nodes[y].get("url"),))
    return list(out)


def _community_members(G: nx.MultiDiGraph, p: Mapping[str, Any]) -> Answer:
    return [
        (d.get("url"), d.get("title"))
        for _, d in G.nodes(data=True)
        if d.get("kind") == "article" and d.get("community") == p["community"]
    ]


def _providers_sharing_stories(G: nx.MultiDiGraph, p: Mapping[str, Any]) -> Answer:
    stories: dict[Any, set[Any]] = defaultdict(set)
    for a, b in edges_of_kind(G, "published_by"):
        story = G.nodes[a].get("story")
        if story is not None:
            stories[story].add(G.nodes[b].get("domain"))
    pairs: Counter[tuple[Any, Any]] = Counter()
    for domains in stories.values():
        pairs.update(combinations(sorted(domains), 2))
    return [(x, y, n) for (x, y), n in pairs.items()]


_QUESTIONS = [
    Question(
        "articles_per_provider",
        "Articles per provider",
        _articles_per_provider,
        """SELECT ?domain (COUNT(DISTINCT ?a) AS ?articles) WHERE {
  ?a schema:publisher ?p . ?p ng:domain ?domain .
} GROUP BY ?domain""",
        """MATCH (a:Article)-[:PUBLISHED_BY]->(p:Provider)
RETURN p.domain AS domain, count(DISTINCT a) AS articles""",
    ),
    Question(
        "topics_by_articles",
        "Topics by number of articles",
        _topics_by_articles,
        """SELECT ?topic (COUNT(DISTINCT ?a) AS ?articles) WHERE {
  ?a schema:about ?t . ?t skos:prefLabel ?label . BIND(STR(?label) AS ?topic)
} GROUP BY ?topic ORDER BY DESC(?articles)""",
        """MATCH (a:Article)-[:ABOUT]->(t:Topic)
RETURN t.name AS topic, count(DISTINCT a) AS articles ORDER BY articles DESC""",
    ),
    Question(
        "topic_in_time_range",
        "Articles of a topic in a time range (start included, end excluded)",
        _topic_in_range,
        """SELECT DISTINCT ?url WHERE {
  ?a schema:about ?t ; schema:datePublished ?published ; schema:url ?u .
  ?t skos:prefLabel ?label .
  FILTER(STR(?label) = $topic && ?published >= STRDT($since, xsd:dateTime)
         && ?published < STRDT($until, xsd:dateTime))
  BIND(STR(?u) AS ?url)
}""",
        """MATCH (a:Article)-[:ABOUT]->(t:Topic)
WHERE t.name = $topic AND a.published >= $since AND a.published < $until
RETURN DISTINCT a.url AS url""",
        ("topic", "since", "until"),
    ),
    Question(
        "topic_pairs",
        "Topics that occur together, by number of articles",
        _topic_pairs,
        """SELECT ?first ?second (COUNT(DISTINCT ?a) AS ?articles) WHERE {
  ?a schema:about ?t1, ?t2 . ?t1 skos:prefLabel ?l1 . ?t2 skos:prefLabel ?l2 .
  BIND(STR(?l1) AS ?first) BIND(STR(?l2) AS ?second) FILTER(?first < ?second)
} GROUP BY ?first ?second ORDER BY DESC(?articles)""",
        """MATCH (t1:Topic)<-[:ABOUT]-(a:Article)-[:ABOUT]->(t2:Topic)
WHERE t1.name < t2.name
RETURN t1.name AS first, t2.name AS second, count(DISTINCT a) AS articles
ORDER BY articles DESC""",
    ),
    Question(
        "related_neighbourhood",
        "The related-link neighbourhood of an article (both directions)",
        _neighbourhood,
        """SELECT DISTINCT ?url WHERE {
  ?a schema:url ?given . FILTER(STR(?given) = $url)
  { ?a dcterms:relation ?b } UNION { ?b dcterms:relation ?a }
  FILTER(?b != ?a) ?b schema:url ?u . BIND(STR(?u) AS ?url)
}""",
        """MATCH (a:Article)-[:RELATED_TO]-(b:Article)
WHERE a.url = $url AND b.id <> a.id
RETURN DISTINCT b.url AS url""",
        ("url",),
    ),
    Question(
        "community_members",
        "The articles of a community, with their titles",
        _community_members,
        """SELECT ?url ?title WHERE {
  GRAPH id:analysis { ?a ng:community ?c } FILTER(?c = $community)
  ?a schema:url ?u . BIND(STR(?u) AS ?url)
  OPTIONAL { ?a schema:headline ?h . BIND(STR(?h) AS ?title) }
}""",
        """MATCH (a:Article) WHERE a.community = $community
RETURN a.url AS url, a.title AS title""",
        ("community",),
    ),
    Question(
        "providers_sharing_stories",
        "Providers that cover the same stories",
        _providers_sharing_stories,
        """SELECT ?first ?second (COUNT(DISTINCT ?s) AS ?stories) WHERE {
  GRAPH id:analysis { ?a1 ng:story ?s . ?a2 ng:story ?s }
  ?a1 schema:publisher/ng:domain ?first . ?a2 schema:publisher/ng:domain ?second .
  FILTER(?first < ?second)
} GROUP BY ?first ?second ORDER BY DESC(?stories)""",
        """MATCH (a:Article)-[:PUBLISHED_BY]->(p:Provider) WHERE a.story IS NOT NULL
WITH a.story AS story, collect(DISTINCT p.domain) AS domains
UNWIND domains AS first UNWIND domains AS second
WITH story, first, second WHERE first < second
RETURN first, second, count(DISTINCT story) AS stories ORDER BY stories DESC""",
    ),
]

#: The questions by name, in the order the cookbook shows them.
QUESTIONS: dict[str, Question] = {q.name: q for q in _QUESTIONS}


def rows_of(store: Store, question: Question, parameters: Mapping[str, Any]) -> Rows:
    """The store's column names and rows for ``question`` (unsorted, as the store gives them)."""
    return store.rows(question.text(store), {k: parameters[k] for k in question.parameters})


def questions_markdown() -> str:
    """The questions as the Markdown of ``docs/cookbook.md`` (a test keeps the two equal)."""
    parts = []
    for q in _QUESTIONS:
        source = _networkx_source(q)
        params = ", ".join(f"`${p}`" for p in q.parameters) or "none"
        parts.append(
            f"### {q.title}\n\n`{q.name}`; parameters: {params}.\n\n"
            f"networkx:\n\n```python\n{source}```\n\n"
            f"SPARQL (with the prefixes above):\n\n```sparql\n{q.sparql}\n```\n\n"
            f"Cypher (LadybugDB and FalkorDB):\n\n```cypher\n{q.cypher}\n```\n"
        )
    return "\n".join(parts)


def _networkx_source(question: Question) -> str:
    import inspect

    return inspect.getsource(question.networkx)
