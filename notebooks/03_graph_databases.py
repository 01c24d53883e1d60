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
# # Into graph databases: load, query, and the cookbook
#
# `ng.load(G, target)` puts the graph into a database through the database's own bulk
# loader; `ng.query(target, text)` asks it in its language (SPARQL or Cypher) and returns a
# pandas DataFrame. Three databases install from PyPI (`pip install 'newsgraph[stores]'`)
# and run on one machine:
# [Oxigraph](https://pyoxigraph.readthedocs.io/) (RDF, SPARQL; a folder or a server),
# [LadybugDB](https://pypi.org/project/ladybug/) (embedded Cypher) and
# [FalkorDB](https://pypi.org/project/falkordb/) (Cypher server). Here the first two, with
# the same questions asked of networkx, SPARQL and Cypher.

# %%
from pathlib import Path
from tempfile import mkdtemp

import pandas as pd

import newsgraph as ng
from newsgraph.exporters.stores import open_store
from newsgraph.exporters.stores.cookbook import QUESTIONS, answer, example_parameters

SAMPLES = Path("..") / "samples" / "news"
G, report = ng.build_graph([SAMPLES], jobs=1)
# communities and stories, so that the questions about them have answers
G = ng.annotate(G, communities=ng.find_communities(G, seed=1), stories=ng.find_stories(G))
out = Path(mkdtemp(prefix="newsgraph-"))

# %% [markdown]
# ## Load
#
# Each load reports what the database holds afterwards, counted by the database itself:
# the same numbers as the graph's. A target that holds data is refused unless
# `replace=True`.

# %%
oxigraph = f"oxigraph:{out / 'store'}"
ladybug = f"ladybug:{out / 'news.lbug'}"
loaded = {target: ng.load(G, target) for target in (oxigraph, ladybug)}
pd.DataFrame({t.split(":")[0]: r.counts for t, r in loaded.items()})

# %% [markdown]
# ## Query
#
# SPARQL on the RDF (schema.org, SKOS, Dublin Core; communities and stories in their own
# named graph), Cypher on the property graph (labels `Article`, `Provider`, `Topic`, `Tag`,
# `Image`; types `PUBLISHED_BY`, `ABOUT`, `TAGGED`, `HAS_IMAGE`, `RELATED_TO`). The model as
# each store sees it is in `docs/cookbook.md`.

# %%
ng.query(
    oxigraph,
    """
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?published ?headline WHERE {
  ?topic skos:prefLabel "Transport" .
  ?article schema:about ?topic ; schema:headline ?headline ; schema:datePublished ?published .
} ORDER BY DESC(?published) LIMIT 5
""",
)

# %%
ng.query(
    ladybug,
    """
MATCH (a:Article)-[:ABOUT]->(t:Topic {name: 'Transport'})
RETURN a.published AS published, a.title AS headline ORDER BY published DESC LIMIT 5
""",
)

# %% [markdown]
# ## The cookbook
#
# Seven questions, each written for networkx, SPARQL and Cypher. The parameters (a topic,
# a time range, an article, a community) are picked from the graph so that each has an
# answer; every store gives networkx's answer.

# %%
parameters = example_parameters(G)
stores = {"oxigraph": open_store(oxigraph), "ladybug": open_store(ladybug)}
agree = {
    name: {
        "rows": len(answer(q, G, parameters)),
        **{
            store: answer(q, s, parameters) == answer(q, G, parameters)
            for store, s in stores.items()
        },
    }
    for name, q in QUESTIONS.items()
}
pd.DataFrame(agree).T

# %% [markdown]
# One of them in full: providers that cover the same stories, in Cypher.

# %%
print(QUESTIONS["providers_sharing_stories"].cypher)
ng.query(ladybug, QUESTIONS["providers_sharing_stories"].cypher).head()

# %%
for store in stores.values():
    store.close()

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
# RDF formats (`ng.dump(G, "graph.nq")`) or `ng.load` above.
