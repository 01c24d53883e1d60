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
# # Communities, stories, co-occurrence and time
#
# What the graph says: which articles, providers and topics hang together (communities),
# which articles report the same event (stories), which topics come up together, and how
# coverage moves over time. Every function is pure and seeded: run it twice, get the same
# answer. Results display as tables here, print as text elsewhere, and turn into pandas
# DataFrames with `.to_frame()`.

# %%
# %matplotlib inline
from pathlib import Path

from IPython.display import display

import newsgraph as ng

SAMPLES = Path("..") / "samples" / "news"
G, report = ng.build_graph([SAMPLES], jobs=1)
print(report.summary())

# %% [markdown]
# ## Communities
#
# Articles clustered by what they share (related links, topics, providers, tags), the same
# default as `newsgraph analyze`; groups of fewer than three articles are reported as
# unclustered. Each community is labelled by the topics, providers and headline words that
# distinguish it from the rest.

# %%
communities = ng.find_communities(G, seed=0)
communities

# %%
print(communities)

# %%
communities.to_frame()[["id", "size", "n_articles", "label"]]

# %%
ng.plot_communities(G, communities).figure

# %% [markdown]
# ## Stories
#
# Articles from different providers about the same event: similar headlines (or linked as
# related), each story within 72 hours from its first article to its last.

# %%
stories = ng.find_stories(G)
stories

# %%
stories.to_frame().head()

# %% [markdown]
# ## Who is central
#
# PageRank within each kind: the topics, providers and articles the rest of the graph
# points at most.

# %%
ng.central_nodes(G, top=3).to_frame()

# %% [markdown]
# ## Topics that come up together
#
# `ng.topic_cooccurrence` is a graph of topics, weighted by the articles they share.

# %%
cooccurrence = ng.topic_cooccurrence(G)
sorted(cooccurrence.edges(data="weight"), key=lambda e: -e[2])[:5]

# %%
ng.plot_cooccurrence(G).figure

# %% [markdown]
# ## Over time

# %%
timeline = ng.articles_over_time(G, by="topic", freq="month", top=5)
ng.plot_timeline(timeline).figure

# %%
timeline.to_frame().head()

# %%
ng.plot_degree_distribution(G).figure

# %% [markdown]
# ## Results on the graph
#
# `ng.annotate` returns a copy of the graph with `community` and `story` on the nodes; every
# exporter carries them (RDF keeps them in a separate named graph). The interactive view
# colours by them.

# %%
A = ng.annotate(G, communities=communities, stories=stories)
ng.show(A, color_by="community")

# %% [markdown]
# ## The real corpus, when it is there
#
# The project's shared folder holds real article metadata (`../shared/corpus`, beside the
# repository). This part runs only where it exists; elsewhere it says so and moves on.

# %%
CORPUS = Path("..") / ".." / "shared" / "corpus" / "powerapps"
if CORPUS.is_dir():
    R, corpus_report = ng.build_graph([CORPUS], jobs=2)
    print(corpus_report.summary())
    corpus_communities = ng.find_communities(R, seed=0)
    print(corpus_communities)
else:
    R = corpus_communities = None
    print(f"skipped: {CORPUS} is not here")

# %%
if R is not None:
    display(ng.plot_communities(R, corpus_communities).figure)
    display(ng.find_stories(R))
