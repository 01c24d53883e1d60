"""RDF exports (DESIGN §5): the mapping from graph to statements, the writers, SHACL checks.

:mod:`.statements` turns the graph into statements (through :mod:`.mapping`, :mod:`.terms`,
:mod:`.literals`, :mod:`.iri` and :mod:`.vocabulary`, in :mod:`.workers` for big graphs);
:mod:`.ntriples`, :mod:`.turtle`, :mod:`.jsonld` and :mod:`.rdfxml` write them;
:mod:`.validate` checks an export against the shapes in ``shapes/``.
"""

__all__: list[str] = []
