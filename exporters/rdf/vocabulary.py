"""The RDF vocabulary of newsgraph exports, defined once (DESIGN §5).

Each namespace is closed: only the terms listed here exist, so a typo such as
``SCHEMA.headlin`` raises :class:`AttributeError` instead of writing a wrong IRI.
schema.org is bound explicitly, as ``http://schema.org/`` by default or
``https://schema.org/`` on request (:func:`schema_vocabulary`).  What schema.org lacks
lives in the project namespace :data:`NG`.

Not supported: the vocabulary itself (sub-property axioms such as ``ng:ampUrl
rdfs:subPropertyOf schema:url``) is documented in ``docs/formats.md`` but not written
into exports.

>>> SCHEMA.headline
'http://schema.org/headline'
>>> schema_vocabulary("https://schema.org/").NewsArticle
'https://schema.org/NewsArticle'
>>> NG.nonsense
Traceback (most recent call last):
...
AttributeError: ng:nonsense is not a term of https://w3id.org/newsgraph/ns#
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

__all__ = [
    "DCTERMS",
    "DEFAULT_BASE",
    "NG",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SCHEMA_NAMESPACES",
    "SKOS",
    "VOCABULARIES",
    "VOID",
    "XSD",
    "Vocabulary",
    "schema_vocabulary",
]


@dataclass(frozen=True)
class Vocabulary:
    """A namespace with a fixed set of terms; attribute access gives a term's IRI.

    >>> Vocabulary("ex", "https://example.org/", frozenset({"a"})).a
    'https://example.org/a'
    """

    prefix: str
    iri: str
    terms: frozenset[str]

    def __getattr__(self, name: str) -> str:
        # Only called for names that are not dataclass fields.
        if name in self.terms:
            return self.iri + name
        raise AttributeError(f"{self.prefix}:{name} is not a term of {self.iri}")

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)


def _vocabulary(prefix: str, iri: str, terms: str) -> Vocabulary:
    return Vocabulary(prefix, iri, frozenset(terms.split()))


RDF: Final = _vocabulary(
    "rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "type JSON langString"
)
RDFS: Final = _vocabulary("rdfs", "http://www.w3.org/2000/01/rdf-schema#", "label")
XSD: Final = _vocabulary(
    "xsd", "http://www.w3.org/2001/XMLSchema#", "string integer double boolean date dateTime"
)
SCHEMA: Final = _vocabulary(
    "schema",
    "http://schema.org/",
    "NewsArticle VideoObject Organization ImageObject headline description url datePublished "
    "dateModified publisher about image logo contentUrl width height caption creditText name "
    "alternateName inLanguage articleSection",
)
SKOS: Final = _vocabulary(
    "skos",
    "http://www.w3.org/2004/02/skos/core#",
    "Concept ConceptScheme prefLabel altLabel inScheme",
)
DCTERMS: Final = _vocabulary("dcterms", "http://purl.org/dc/terms/", "relation title")
PROV: Final = _vocabulary("prov", "http://www.w3.org/ns/prov#", "Entity wasDerivedFrom")
VOID: Final = _vocabulary(
    "void", "http://rdfs.org/ns/void#", "Dataset entities documents uriSpace vocabulary"
)
#: The project namespace, for what the standard vocabularies lack.
NG: Final = _vocabulary(
    "ng",
    "https://w3id.org/newsgraph/ns#",
    "ampUrl alternateUrl articleType isStub quality heat published secured path category extra "
    "domain isCached headlineOriginal descriptionOriginal community story tag builderVersion",
)

#: The two spellings of the schema.org namespace an export may use.
SCHEMA_NAMESPACES: Final = ("http://schema.org/", "https://schema.org/")

#: Every vocabulary but schema.org's, which depends on the chosen namespace.
VOCABULARIES: Final = (RDF, RDFS, XSD, SKOS, DCTERMS, PROV, VOID, NG)

#: Where minted IRIs live unless the caller chooses another base.
DEFAULT_BASE: Final = "https://w3id.org/newsgraph/id/"


def schema_vocabulary(namespace: str = SCHEMA_NAMESPACES[0]) -> Vocabulary:
    """Return schema.org's terms under ``namespace`` (one of :data:`SCHEMA_NAMESPACES`).

    >>> schema_vocabulary().iri
    'http://schema.org/'
    """
    if namespace not in SCHEMA_NAMESPACES:
        raise ValueError(
            f"schema.org namespace must be one of {SCHEMA_NAMESPACES}, not {namespace!r}"
        )
    return replace(SCHEMA, iri=namespace)
