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
# # newsgraph in five minutes
#
# Build one knowledge graph from a folder of news-article metadata, look at what came out,
# and export it. Everything here uses the bundled sample (`samples/news`, invented articles);
# point `ng.build_graph` at your own folders the same way.

# %%
from pathlib import Path
from tempfile import mkdtemp

import pandas as pd

import newsgraph as ng

SAMPLES = Path("..") / "samples" / "news"  # notebooks run from the notebooks/ folder

# %% [markdown]
# ## Build
#
# `ng.build_graph` reads every file under the folders it is given (front-matter Markdown, YAML,
# JSON, JSON Lines), merges the same article seen in several files, and returns a
# `networkx.MultiDiGraph` and a build report. A broken file never stops the build: it is
# reported with its file and line.

# %%
G, report = ng.build_graph([SAMPLES], jobs=1)
report

# %% [markdown]
# The sample holds one deliberately broken file. Every problem, with where it is:

# %%
problems = pd.DataFrame(report.to_dict()["problems"]["items"])
problems[["path", "line", "severity", "code", "message"]]

# %% [markdown]
# ## What is in the graph
#
# Nodes are articles, providers, topics, tags and images; their keys read `"<kind>:<id>"`.

# %%
ng.count_kinds(G)

# %%
nodes = pd.DataFrame([{"key": key, **data} for key, data in G.nodes(data=True)])
articles = nodes[nodes["kind"] == "article"]
articles[["title", "published", "quality", "is_stub"]].sort_values("published").head(8)

# %%
edges = pd.DataFrame([{"source": u, "target": v, **data} for u, v, data in G.edges(data=True)])
edges["kind"].value_counts()

# %% [markdown]
# One article and everything it links to:

# %%
key = articles.sort_values("published")["key"].iloc[0]
pd.DataFrame(
    [
        {"edge": data["kind"], "to": G.nodes[target]["label"]}
        for _, target, data in G.out_edges(key, data=True)
    ]
)

# %% [markdown]
# ## Export
#
# Every format has a name; `ng.dump` picks it from the file suffix. The same graph
# always gives the same bytes.

# %%
pd.DataFrame([{"format": f.name, "suffix": f.suffix, "kind": f.family} for f in ng.formats()])

# %%
out = Path(mkdtemp(prefix="newsgraph-"))
for name in ("graph.ttl", "graph.graphml", "graph.json", "graph.html"):
    ng.dump(G, out / name)
sorted((p.name, p.stat().st_size) for p in out.iterdir())

# %% [markdown]
# `graph.html` is a standalone page: open it in any browser, offline, or send it to someone.
# It has search, filters by kind, topic and community, and a panel with each node's details.
#
# ## Look at it here
#
# `ng.show` draws the graph in the notebook (it needs `ipysigma`, in the `notebooks` extra).
# Click a node for its details; use the search box to find an article.

# %%
ng.show(G, color_by="kind")
