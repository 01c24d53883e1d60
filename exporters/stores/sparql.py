"""RDF stores: an Oxigraph folder (pyoxigraph) and SPARQL 1.1 servers over HTTP.

The graph goes in as our N-Quads (:mod:`newsgraph.exporters.rdf`): the facts in the
default graph, communities and stories in the named graph ``<base>analysis``.

- :class:`OxigraphFolder` loads with pyoxigraph's ``bulk_load`` into a new folder beside
  the target and renames it into place, so a failed load leaves the target as it was
  and a replaced store is never seen half loaded.
- :class:`SparqlEndpoint` talks to a server: an Oxigraph server (``oxigraph serve``) takes
  the whole N-Quads file in one request to ``/store``: ``POST`` into an empty store, ``PUT``
  to replace one that holds data (one transaction; it costs the server ~2.4x the CPU of a
  ``POST``, measured at 20k documents, so it is kept for replacing);
  any other SPARQL 1.1 server takes each graph by the Graph Store HTTP Protocol (``PUT``
  of the default graph, then of the analysis graph).

Not supported: authentication; loading into a graph other than the default one.

>>> from newsgraph.graph.examples import toy_graph
>>> import tempfile, os
>>> with tempfile.TemporaryDirectory() as d:
...     store = OxigraphFolder(os.path.join(d, "store"))
...     store.load(toy_graph()).counts["article"]
12
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import networkx as nx

from newsgraph.exporters.rdf.statements import RdfOptions
from newsgraph.exporters.registry import dump
from newsgraph.exporters.stores._common import LoadReport, Rows, Store, check_state
from newsgraph.exporters.values import OnProblem
from newsgraph.graph.errors import StoreError

__all__ = ["OxigraphFolder", "SparqlEndpoint", "counts_query", "prefixes"]

_XSD: Final = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS: Final = {f"{_XSD}{t}" for t in ("integer", "int", "long", "nonNegativeInteger")}
_TIMEOUT: Final = 600.0
_DEFAULT: Final = RdfOptions()
_PARAMETER: Final = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def prefixes(options: RdfOptions = _DEFAULT) -> str:
    """The PREFIX lines the cookbook's SPARQL uses (``schema:``, ``ng:``, ``id:``...).

    >>> print(prefixes().splitlines()[0])
    PREFIX schema: <http://schema.org/>
    """
    table = {
        "schema": options.schema,
        "ng": "https://w3id.org/newsgraph/ns#",
        "id": options.base,
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "dcterms": "http://purl.org/dc/terms/",
        "xsd": _XSD,
    }
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in table.items())


def counts_query(options: RdfOptions = _DEFAULT) -> str:
    """A query counting nodes and edges by our kinds (columns ``kind`` and ``n``)."""
    kinds = {
        "article": "?s a schema:NewsArticle",
        "provider": "?s a schema:Organization",
        "topic": "?s skos:inScheme id:topics",
        "tag": "?s skos:inScheme id:tags",
        "image": "?s a schema:ImageObject",
        "published_by": "?s schema:publisher ?o",
        "about": "?s schema:about ?o",
        "tagged": "?s ng:tag ?o",
        "has_image": "?s schema:image|schema:logo ?o",
        "related_to": "?s dcterms:relation ?o",
    }
    union = " UNION\n".join(
        f'  {{ {where} BIND("{kind}" AS ?kind) }}' for kind, where in kinds.items()
    )
    return f"{prefixes(options)}SELECT ?kind (COUNT(*) AS ?n) WHERE {{\n{union}\n}} GROUP BY ?kind"


class _Sparql(Store):
    language = "sparql"
    change_file = "changes.ru"

    def __init__(self, options: RdfOptions) -> None:
        self.options = options

    def counts(self) -> dict[str, int]:
        _, rows = self.rows(counts_query(self.options))
        return {str(kind): int(n) for kind, n in sorted(rows)}

    def _report(self, target: str, replaced: bool) -> LoadReport:
        return LoadReport(target, self.counts(), self._triples(), replaced)

    def state(self) -> dict[str, int]:
        return {"statements": self._triples()}

    def _triples(self) -> int:
        query = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        return int(self.rows(query)[1][0][0])

    def _nquads(self, G: nx.MultiDiGraph, where: Path, on_problem: OnProblem | None) -> Path:
        path = where / "graph.nq"
        options = {"base": self.options.base, "schema": self.options.schema}
        documents = G.graph.get("documents")
        dump(G, path, "nq", on_problem=on_problem, documents=documents, **options)
        return path


class OxigraphFolder(_Sparql):
    """An embedded Oxigraph store in a folder (made when missing)."""

    def __init__(self, path: str | os.PathLike[str], options: RdfOptions = _DEFAULT) -> None:
        super().__init__(options)
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path}: not a folder (an Oxigraph store is a folder)")
        self._store: Any = None

    def _open(self) -> Any:
        if self._store is None:
            import pyoxigraph

            if not self.path.exists():
                raise StoreError(f"{self.path}: no such Oxigraph store")
            try:
                self._store = pyoxigraph.Store.read_only(str(self.path))
            except OSError as err:
                raise StoreError(f"{self.path}: cannot open the Oxigraph store: {err}") from err
        return self._store

    def close(self) -> None:
        self._store = None

    def is_empty(self) -> bool:
        """True when the folder is missing, empty or holds a store without statements."""
        if not self.path.exists() or not any(self.path.iterdir()):
            return True
        return next(iter(self._open()), None) is None

    def load(
        self, G: nx.MultiDiGraph, *, replace: bool = False, on_problem: OnProblem | None = None
    ) -> LoadReport:
        import pyoxigraph

        full = not self.is_empty()
        if full and not replace:
            raise StoreError(f"{self.path}: the store holds data; use --replace to replace it")
        self.close()
        parent = self.path.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{self.path.name}.", dir=parent) as work:
            fresh = Path(work) / "store"
            store = pyoxigraph.Store(str(fresh))
            try:
                store.bulk_load(path=str(self._nquads(G, Path(work), on_problem)))
                store.flush()
            except (OSError, SyntaxError, ValueError) as err:
                raise StoreError(f"{self.path}: the load failed: {err}") from err
            finally:
                del store  # releases the folder's lock
            _swap(fresh, self.path, Path(work) / "old")
        return self._report(str(self.path), full)

    def apply_changes(
        self, text: str, *, before: Mapping[str, int], after: Mapping[str, int]
    ) -> LoadReport:
        """Run the SPARQL Update on a backup of the store (``Store.backup``: hard links,
        cheap), check it, and swap it in (so a failed update leaves the target as it was)."""
        import pyoxigraph

        check_state(str(self.path), self.state(), before, "the previous graph of the change set")
        parent = self.path.resolve().parent
        with tempfile.TemporaryDirectory(prefix=f".{self.path.name}.", dir=parent) as work:
            fresh = Path(work) / "store"
            self._open().backup(str(fresh))
            self.close()
            store = pyoxigraph.Store(str(fresh))
            try:
                store.update(text)
                store.flush()
            except (OSError, SyntaxError, ValueError) as err:
                raise StoreError(f"{self.path}: the update failed: {err}") from err
            finally:
                del store  # releases the folder's lock
            copy = OxigraphFolder(fresh, self.options)
            try:
                check_state(str(self.path), copy.state(), after, "the new graph after the update")
            finally:
                copy.close()
            _swap(fresh, self.path, Path(work) / "old")
        return self._report(str(self.path), True)

    def rows(self, text: str, parameters: Mapping[str, Any] | None = None) -> Rows:
        try:
            result = self._open().query(_bind(text, parameters))
        except SyntaxError as err:
            raise StoreError(f"SPARQL syntax error: {err}") from err
        except OSError as err:
            raise StoreError(f"{self.path}: the query failed: {err}") from err
        if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
            return ["answer"], [(bool(result),)]
        names = [v.value for v in result.variables]
        return names, [tuple(_term_value(term) for term in row) for row in result]


class SparqlEndpoint(_Sparql):
    """A SPARQL 1.1 server: ``query`` is its query URL, ``store`` its Graph Store URL.

    With ``dataset=True`` (an Oxigraph server) the store URL takes N-Quads for the whole
    dataset in one request.  :meth:`oxigraph` makes one from the server's base URL.
    """

    def __init__(
        self,
        query: str,
        store: str,
        *,
        dataset: bool = False,
        update: str | None = None,
        options: RdfOptions = _DEFAULT,
    ) -> None:
        super().__init__(options)
        self.query_url, self.store_url, self.dataset = query, store, dataset
        self.update_url = update

    @classmethod
    def oxigraph(cls, url: str, options: RdfOptions = _DEFAULT) -> SparqlEndpoint:
        """The endpoint of an Oxigraph server at ``url`` (``http://127.0.0.1:7878``)."""
        base = url.rstrip("/")
        return cls(
            f"{base}/query", f"{base}/store", dataset=True, update=f"{base}/update", options=options
        )

    def close(self) -> None:
        """Nothing to let go of: each request opens its own connection."""

    def load(
        self, G: nx.MultiDiGraph, *, replace: bool = False, on_problem: OnProblem | None = None
    ) -> LoadReport:
        ask = "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        full = bool(self.rows(ask)[1][0][0])
        if full and not replace:
            raise StoreError(f"{self.store_url}: the store holds data; use --replace to replace it")
        with tempfile.TemporaryDirectory(prefix="newsgraph-load-") as work:
            path = self._nquads(G, Path(work), on_problem)
            if self.dataset:
                method = "PUT" if full else "POST"  # same result: the store was empty
                self._send(method, self.store_url, path, "application/n-quads")
            else:
                for graph, part in _split_graphs(path, f"<{self.options.base}analysis>"):
                    where = "default" if graph is None else "graph=" + urllib.parse.quote(graph)
                    self._send("PUT", f"{self.store_url}?{where}", part, "application/n-triples")
        return self._report(self.store_url, full)

    def apply_changes(
        self, text: str, *, before: Mapping[str, int], after: Mapping[str, int]
    ) -> LoadReport:
        """Send the SPARQL Update in one request (one transaction on Oxigraph and Fuseki).

        A server cannot be rolled back from here: when the statements counted afterwards
        are not the new graph's, the error says so and a ``--replace`` load mends it.
        """
        if self.update_url is None:
            raise StoreError(f"{self.query_url}: name the SPARQL Update URL with &update=URL")
        check_state(self.query_url, self.state(), before, "the previous graph of the change set")
        request = urllib.request.Request(
            self.update_url,
            data=text.encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )
        self._open(request)
        check_state(self.query_url, self.state(), after, "the new graph after the update")
        return self._report(self.store_url, True)

    def rows(self, text: str, parameters: Mapping[str, Any] | None = None) -> Rows:
        body = urllib.parse.urlencode({"query": _bind(text, parameters)}).encode()
        request = urllib.request.Request(
            self.query_url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            },
        )
        answer = json.loads(self._open(request))
        if "boolean" in answer:
            return ["answer"], [(bool(answer["boolean"]),)]
        names = list(answer["head"]["vars"])
        rows = [
            tuple(_json_value(binding.get(name)) for name in names)
            for binding in answer["results"]["bindings"]
        ]
        return names, rows

    def _send(self, method: str, url: str, path: Path, content_type: str) -> None:
        with path.open("rb") as body:
            request = urllib.request.Request(
                url,
                data=body,
                method=method,
                headers={
                    "Content-Type": content_type,
                    "Content-Length": str(path.stat().st_size),
                },
            )
            self._open(request)

    def _open(self, request: urllib.request.Request) -> bytes:
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as err:
            detail = err.read().decode(errors="replace").strip().splitlines()
            message = detail[0] if detail else err.reason
            raise StoreError(f"{request.full_url}: HTTP {err.code}: {message}") from err
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise StoreError(f"cannot reach {request.full_url}: {reason}") from err


def _swap(fresh: Path, target: Path, old: Path) -> None:
    """Put the folder ``fresh`` where ``target`` is; the old one goes to ``old`` (then away)."""
    if target.exists():
        os.rename(target, old)
        try:
            os.rename(fresh, target)
        except OSError:
            os.rename(old, target)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(fresh, target)


def _split_graphs(path: Path, graph: str) -> Iterator[tuple[str | None, Path]]:
    """The N-Quads file as N-Triples files: the default graph's, then ``graph``'s."""
    default, named = path.with_suffix(".default.nt"), path.with_suffix(".named.nt")
    tail = f" {graph} .\n"
    with path.open() as lines, default.open("w") as d, named.open("w") as n:
        for line in lines:
            if line.endswith(tail):
                n.write(line[: -len(tail)] + " .\n")
            else:
                d.write(line)
    yield None, default
    yield graph[1:-1], named


def _bind(text: str, parameters: Mapping[str, Any] | None) -> str:
    """``text`` with each ``$name`` variable of ``parameters`` replaced by its value as a term.

    >>> _bind('SELECT * { ?a ?p $topic }', {"topic": "Space"})
    'SELECT * { ?a ?p "Space" }'
    """
    if not parameters:
        return text
    terms = {name: _sparql_term(value) for name, value in parameters.items()}
    return _PARAMETER.sub(lambda m: terms.get(m[1], m[0]), text)


def _sparql_term(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if hasattr(value, "isoformat"):
        return f'"{value.isoformat()}"^^<{_XSD}dateTime>'
    return json.dumps(str(value), ensure_ascii=False)


def _term_value(term: Any) -> Any:
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    if datatype is not None:
        return _literal(term.value, datatype.value)
    return term.value


def _json_value(binding: Mapping[str, str] | None) -> Any:
    if binding is None:
        return None
    if binding.get("type") in ("literal", "typed-literal"):
        return _literal(binding["value"], binding.get("datatype", ""))
    return binding["value"]


def _literal(value: str, datatype: str) -> Any:
    if datatype in _INTEGERS:
        return int(value)
    if datatype in (f"{_XSD}double", f"{_XSD}decimal", f"{_XSD}float"):
        return float(value)
    if datatype == f"{_XSD}boolean":
        return value == "true"
    return value
