# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Into graph databases: SPARQL and Neo4j
#
# The graph exports as RDF (schema.org, SKOS, Dublin Core, PROV) for triple stores, and as
# bulk-import files for property-graph databases. Here the RDF goes into an embedded store,
# [pyoxigraph](https://pyoxigraph.readthedocs.io/) (in the `fast` extra), and is queried with
# SPARQL; then the Neo4j files are written and the import command shown.

# %%
from pathlib import Path
from tempfile import mkdtemp

import pandas as pd
import pyoxigraph

import newsgraph as ng

SAMPLES = Path("..") / "samples" / "news"
G, report = ng.build_graph([SAMPLES], jobs=1)
out = Path(mkdtemp(prefix="newsgraph-"))

# %% [markdown]
# ## RDF into an embedded triple store
#
# N-Triples is the simplest format to bulk-load; `ttl`, `jsonld`, `rdfxml`, `nq` and `trig`
# are there too. Analysis results, when annotated, go to a named graph of their own
# (`nq`, `trig`).

# %%
ng.dump(G, out / "graph.nt")
store = pyoxigraph.Store()
store.bulk_load(path=str(out / "graph.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
len(store)

# %%
PREFIXES = """
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def sparql(query: str) -> pd.DataFrame:
    """Run a SELECT query; one column per variable, values as plain text."""
    solutions = store.query(PREFIXES + query)
    names = [v.value for v in solutions.variables]
    rows = [[None if s[n] is None else s[n].value for n in names] for s in solutions]
    return pd.DataFrame(rows, columns=names)


# %% [markdown]
# Articles per provider:

# %%
sparql("""
SELECT ?provider (COUNT(?article) AS ?articles) WHERE {
  ?article a schema:NewsArticle ; schema:publisher ?p .
  ?p schema:name ?provider .
} GROUP BY ?provider ORDER BY DESC(?articles) ?provider
""")

# %% [markdown]
# The latest headlines about one topic, with their providers:

# %%
sparql("""
SELECT ?published ?headline ?provider WHERE {
  ?topic skos:prefLabel "Transport" .
  ?article schema:about ?topic ; schema:headline ?headline ;
           schema:datePublished ?published ; schema:publisher/schema:name ?provider .
} ORDER BY DESC(?published) LIMIT 5
""")

# %% [markdown]
# Related articles from another provider: how stories travel.

# %%
sparql("""
SELECT ?from ?to ?other WHERE {
  ?a dcterms:relation ?b ; schema:headline ?from ; schema:publisher ?p .
  ?b schema:headline ?to ; schema:publisher ?q .
  ?q schema:name ?other .
  FILTER (?p != ?q)
} ORDER BY ?from LIMIT 5
""")

# %% [markdown]
# ## Neo4j bulk import
#
# The `neo4j` format writes `nodes.csv` and `relationships.csv` with typed headers for
# `neo4j-admin database import full`, and `import.sh` with the exact command.

# %%
ng.dump(G, out / "graph-neo4j", "neo4j")
sorted(p.name for p in (out / "graph-neo4j").iterdir())

# %%
pd.read_csv(out / "graph-neo4j" / "nodes.csv", nrows=5).iloc[:, :6]

# %%
print((out / "graph-neo4j" / "import.sh").read_text())

# %% [markdown]
# Copy the folder next to a stopped Neo4j 5 server and run `sh import.sh` (it takes the
# database name as its argument, `neo4j` by default). Then, in Cypher:
#
# ```cypher
# MATCH (a:Article)-[:ABOUT]->(t:Topic {label: "Transport"})
# RETURN a.title, a.published ORDER BY a.published DESC LIMIT 5
# ```
#
# For Amazon Neptune use the `neptune` format (openCypher CSVs); for a triple store, the
# RDF formats above.
