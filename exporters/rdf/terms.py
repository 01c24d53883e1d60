"""The RDF terms of the mapping, formatted once as N-Triples (predicates, classes, datatypes).

Not supported: see :mod:`newsgraph.exporters.rdf.statements`.
"""

from __future__ import annotations

from typing import Final

from newsgraph.exporters.rdf.vocabulary import (
    DCTERMS,
    NG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    VOID,
    XSD,
    Vocabulary,
)

__all__ = ["ANALYSIS", "Terms", "iri"]

#: Article attributes written by analysis (to the named graph ``<base>analysis``).
ANALYSIS: Final = frozenset({"community", "story"})


def iri(value: str) -> str:
    """An IRI as an N-Triples term.

    >>> iri("https://example.org/a")
    '<https://example.org/a>'
    """
    return f"<{value}>"


class Terms:
    """Predicates, classes and datatype suffixes as ready-made N-Triples terms.

    >>> from newsgraph.exporters.rdf.vocabulary import SCHEMA
    >>> Terms(SCHEMA, "https://example.org/id/").topics
    '<https://example.org/id/topics>'
    """

    def __init__(self, schema: Vocabulary, base: str) -> None:
        s, ng = schema, NG
        self.schema = schema
        self.type, self.label = iri(RDF.type), iri(RDFS.label)
        self.Concept, self.ConceptScheme = iri(SKOS.Concept), iri(SKOS.ConceptScheme)
        self.prefLabel, self.altLabel = iri(SKOS.prefLabel), iri(SKOS.altLabel)
        self.inScheme, self.title = iri(SKOS.inScheme), iri(DCTERMS.title)
        self.Entity, self.wasDerivedFrom = iri(PROV.Entity), iri(PROV.wasDerivedFrom)
        self.Dataset, self.entities = iri(VOID.Dataset), iri(VOID.entities)
        self.documents, self.uriSpace = iri(VOID.documents), iri(VOID.uriSpace)
        self.vocabulary, self.builderVersion = iri(VOID.vocabulary), iri(ng.builderVersion)
        self.ampUrl, self.alternateUrl = iri(ng.ampUrl), iri(ng.alternateUrl)
        self.extra, self.domain = iri(ng.extra), iri(ng.domain)
        self.NewsArticle, self.VideoObject = iri(s.NewsArticle), iri(s.VideoObject)
        self.Organization, self.ImageObject = iri(s.Organization), iri(s.ImageObject)
        self.url, self.contentUrl = iri(s.url), iri(s.contentUrl)
        self.name, self.alternateName = iri(s.name), iri(s.alternateName)
        self.integer, self.double = f"^^<{XSD.integer}>", f"^^<{XSD.double}>"
        self.boolean, self.date = f"^^<{XSD.boolean}>", f"^^<{XSD.date}>"
        self.dateTime, self.json = f"^^<{XSD.dateTime}>", f"^^<{RDF.JSON}>"
        self.true, self.false = f'"true"{self.boolean}', f'"false"{self.boolean}'
        self.topics, self.tags = iri(f"{base}topics"), iri(f"{base}tags")
        # "rdf:type class" pairs, the first of every description
        self.type_article, self.type_video = self._typed(self.NewsArticle, self.VideoObject)
        self.type_organization, self.type_image = self._typed(self.Organization, self.ImageObject)
        self.type_concept, self.type_entity = self._typed(self.Concept, self.Entity)
        # The fields of articles and images, in the order their statements are written:
        # (attribute, predicate, kind of field); the mapper has one writer per kind.
        # fmt: off
        self.article_fields = _fields(
            ("title",            s.headline,             "text"),
            ("title_original",   ng.headlineOriginal,    "text"),
            ("excerpt",          s.description,          "text"),
            ("excerpt_original", ng.descriptionOriginal, "text"),
            ("url",              s.url,                  "url"),
            ("urls",             ng.alternateUrl,        "urls"),  # ng:ampUrl for AMP pages
            ("published",        s.datePublished,        "date"),
            ("updated",          s.dateModified,         "date"),
            ("type",             ng.articleType,         "strings"),
            ("category",         s.articleSection,       "strings"),
            ("categories",       ng.category,            "strings"),
            ("locale",           s.inLanguage,           "strings"),
            ("secured",          ng.secured,             "strings"),
            ("path",             ng.path,                "strings"),
            ("quality",          ng.quality,             "number"),
            ("heat",             ng.heat,                "number"),
            ("is_published",     ng.published,           "number"),
            ("is_stub",          ng.isStub,              "number"),
            ("extra",            ng.extra,               "json"),
            ("sources",          PROV.wasDerivedFrom,    "sources"),
        )
        self.image_fields = _fields(
            ("url",              s.contentUrl,           "url"),
            ("width",            s.width,                "number"),
            ("height",           s.height,               "number"),
            ("is_cached",        ng.isCached,            "number"),
            ("title",            s.caption,              "text"),
            ("attribution",      s.creditText,           "text"),
        )
        # fmt: on
        self.analysis = dict(_pairs(("community", ng.community), ("story", ng.story)))
        self.edges = {  # source node kind -> edge kind -> predicate
            "article": {
                "published_by": iri(s.publisher),
                "about": iri(s.about),
                "tagged": iri(ng.tag),
                "has_image": iri(s.image),
                "related_to": iri(DCTERMS.relation),
            },
            "provider": {"has_image": iri(s.logo)},
        }
        common = {"kind", "label"}
        self.article_attributes = frozenset(
            common | {a for a, _, _ in self.article_fields} | ANALYSIS
        )
        self.provider_attributes = frozenset(common | {"name", "names", "domain"})
        self.concept_attributes = frozenset(common | {"name", "names"})
        self.image_attributes = frozenset(common | {a for a, _, _ in self.image_fields})

    def _typed(self, *classes: str) -> tuple[str, ...]:
        return tuple(f"{self.type} {term}" for term in classes)


def _pairs(*items: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((attribute, iri(predicate)) for attribute, predicate in items)


def _fields(*rows: tuple[str, str, str]) -> tuple[tuple[str, str, str], ...]:
    return tuple((attribute, iri(predicate), kind) for attribute, predicate, kind in rows)
