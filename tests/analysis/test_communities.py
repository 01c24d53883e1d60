import networkx as nx
import pytest

from newsgraph.graph.analysis import article_graph, find_communities
from newsgraph.graph.analysis.communities import Communities


def caveman() -> nx.Graph:
    """Three 5-cliques joined in a ring by single edges: three communities, no doubt."""
    G = nx.connected_caveman_graph(3, 5)
    return nx.relabel_nodes(G, {n: f"n{n:02d}" for n in G})


CAVES = [frozenset(f"n{i:02d}" for i in range(c * 5, c * 5 + 5)) for c in range(3)]


@pytest.mark.parametrize("method", ["louvain", "label_propagation", "leiden"])
def test_exact_partition_of_caves(method):
    result = find_communities(caveman(), method=method, seed=42)
    assert result.partition() == CAVES
    assert result.method == method
    assert [c.size for c in result.rows] == [5, 5, 5]
    assert result.modularity == pytest.approx(nx.community.modularity(caveman(), CAVES))


@pytest.mark.parametrize("method", ["louvain", "leiden"])
def test_exact_partition_of_toy_graph_articles(toy, method):
    result = find_communities(toy, method=method, seed=1)
    assert result.on == "articles"
    assert [sorted(n.split("/")[-1] for n in group) for group in result.partition()] == [
        ["cup-1", "cup-2", "cup-3", "cup-4"],
        ["robot-1", "robot-2", "robot-3", "robot-4"],
        ["solar-1", "solar-2", "solar-3", "solar-4"],
    ]


def test_whole_graph_on_request(toy):
    result = find_communities(toy, on="graph", method="louvain", seed=1)
    assert result.on == "graph"
    assert any(n.startswith("topic:") for n in result.membership)


def test_small_groups_are_unclustered_not_communities(make):
    articles = [
        {"url": f"https://x.example/{t}-{i}", "provider": f"p{t}{i}.example", "topics": [t]}
        for t in ("boats", "trains")
        for i in range(4)
    ]
    articles.append({"url": "https://x.example/alone", "provider": "lone.example"})
    result = find_communities(make(articles), seed=0)
    assert len(result) == 2 and result.unclustered == ("article:https://x.example/alone",)
    assert "2 communities of >= 3 articles (8 articles), 1 articles unclustered" in str(result)
    assert find_communities(make(articles), seed=0, min_size=1).unclustered == ()


@pytest.mark.parametrize("method", ["louvain", "label_propagation", "leiden"])
def test_same_seed_same_result(toy, method):
    first = find_communities(toy, method=method, seed=3)
    again = find_communities(toy, method=method, seed=3)
    assert first.membership == again.membership and first.rows == again.rows


def test_result_does_not_depend_on_insertion_order(toy):
    shuffled = nx.MultiDiGraph()
    shuffled.add_nodes_from(reversed(list(toy.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(toy.edges(keys=True, data=True))))
    assert (
        find_communities(shuffled, method="louvain", seed=5).membership
        == find_communities(toy, method="louvain", seed=5).membership
    )


def test_leiden_and_louvain_agree_on_planted_communities(planted):
    G, truth = planted(groups=5, size=40, p_in=0.4, p_out=0.005)
    leiden = find_communities(G, method="leiden", seed=0)
    louvain = find_communities(G, method="louvain", seed=0)
    assert set(leiden.partition()) == set(louvain.partition()) == {frozenset(t) for t in truth}


def test_auto_is_leiden(toy):
    assert find_communities(toy, method="auto").method == "leiden"


def test_unknown_method_is_refused(toy):
    with pytest.raises(ValueError, match="unknown method 'kmeans'"):
        find_communities(toy, method="kmeans")  # type: ignore[arg-type]


def test_labels_name_distinctive_topics_providers_and_headlines(toy):
    result = find_communities(toy, method="louvain", seed=1)
    football = result.rows[0]
    assert football.topics == ("Football", "Sport")
    assert football.n_articles == 4
    assert football.providers[0] == "b.example"  # two of its four articles
    assert football.headlines[0] == "Rovers win the county cup final after penalties"
    assert football.keywords == ("county", "cup", "final")
    assert football.label == "Football · Sport — b.example: county, cup, final"


def test_images_are_left_out_unless_asked_for(toy):
    image = "image:https://a.example/farm.jpg"
    assert image not in find_communities(toy, on="graph", method="louvain").membership
    every_kind = {"article", "provider", "topic", "tag", "image"}
    found = find_communities(toy, on="graph", method="louvain", kinds=every_kind, min_size=1)
    assert image in found.membership


def test_article_projection_with_context_keeps_topic_labels(toy):
    result = find_communities(article_graph(toy), method="louvain", seed=0, context=toy)
    assert all(key.startswith("article:") for key in result.membership)
    assert sorted(c.topics[:2] for c in result.rows) == [
        ("AI", "Robots"),
        ("Energy", "Solar"),
        ("Football", "Sport"),
    ]
    without = find_communities(article_graph(toy), method="louvain", seed=0)
    assert all(c.topics == () for c in without.rows)
    assert all(c.headlines for c in without.rows)


def test_plain_graph_without_edges():
    G = nx.empty_graph(3)
    result = find_communities(G, method="louvain", min_size=1)
    assert result.modularity == 0.0
    assert [c.label for c in result.rows] == ["community 0", "community 1", "community 2"]
    assert find_communities(G, method="louvain").unclustered == (0, 1, 2)


def test_result_converts_to_frame_and_html(toy):
    result = find_communities(toy, method="louvain", seed=1)
    frame = result.to_frame()
    assert list(frame.columns) == [
        "id",
        "size",
        "n_articles",
        "label",
        "topics",
        "providers",
        "keywords",
        "headlines",
    ]
    assert frame["size"].sum() == len(result.membership)
    assert "<table>" in result._repr_html_() and "Football" in result._repr_html_()
    assert str(result).startswith("3 communities of >= 3 articles (12 articles), 0 articles")


def test_to_frame_without_pandas_says_what_to_install(toy, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        find_communities(toy, method="louvain").to_frame()


def test_results_are_frozen(toy):
    result = find_communities(toy, method="louvain")
    assert isinstance(result, Communities)
    with pytest.raises(AttributeError):
        result.modularity = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("method", ["louvain", "label_propagation", "leiden"])
def test_every_node_is_placed_even_without_edges(method):
    result = find_communities(nx.empty_graph(4), method=method, min_size=1)
    assert sorted(result.membership) == [0, 1, 2, 3]
    assert len(result) == 4
    alone = find_communities(nx.empty_graph(4), method=method)
    assert (len(alone), sorted(alone.unclustered)) == (0, [0, 1, 2, 3])


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from benchmarks.synthetic import generate_corpus
    from newsgraph import build_graph

    folder = tmp_path_factory.mktemp("synthetic")
    generate_corpus(folder, 600, seed=2, write_truth=False)
    return build_graph([folder / "news"], jobs=1)[0]


def test_leiden_in_a_forked_child_finds_what_this_process_finds(synthetic, monkeypatch) -> None:
    import os

    from newsgraph.graph.analysis import clustering
    from newsgraph.graph.analysis.sparse import article_projection

    P = article_projection(synthetic)
    assert P.n_edges > 1_000 and P.source.dtype.itemsize == 4
    here = find_communities(P, context=synthetic, seed=3)
    forked_pids: list[int] = []
    fork = os.fork

    def recorded_fork() -> int:
        pid = fork()
        if pid:
            forked_pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded_fork)
    monkeypatch.setattr(clustering, "_FORK_MIN_EDGES", 0)
    forked = find_communities(P, context=synthetic, seed=3)
    assert forked == here and forked.modularity == here.modularity
    assert forked.rows == here.rows and dict(forked.membership) == dict(here.membership)
    part = clustering.partition(P, seed=3)
    monkeypatch.setattr(clustering, "_FORK_MIN_EDGES", 10**12)
    assert clustering.partition(P, seed=3) == part
    # a warm start, from a partition with some nodes left out
    previous = {n: cid for i, (n, cid) in enumerate(here.membership.items()) if i % 7}
    warm = find_communities(P, context=synthetic, seed=3, previous=previous)
    monkeypatch.setattr(clustering, "_FORK_MIN_EDGES", 0)
    assert find_communities(P, context=synthetic, seed=3, previous=previous) == warm
    assert len(forked_pids) == 3
    for pid in forked_pids:  # each child waited for (other tests' children may still run)
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_a_failure_in_the_forked_child_is_raised_here(monkeypatch) -> None:
    from newsgraph.graph.analysis import clustering

    def fails() -> None:
        raise ValueError("no luck")

    with pytest.raises(ValueError, match="no luck"):
        clustering._in_forked_child(fails)


def test_labels_are_read_while_the_forked_child_runs(synthetic, monkeypatch) -> None:
    """The child waits for the parent's label work to start: were that work done only after
    the child ended, the child would give up, and find_communities would raise."""
    import os
    import select

    from newsgraph.graph.analysis import clustering, communities
    from newsgraph.graph.analysis.sparse import article_projection

    P = article_projection(synthetic)
    here = find_communities(P, context=synthetic, seed=3)
    read_end, write_end = os.pipe()
    leiden, label_inputs = clustering._projection_leiden, communities.label_inputs
    events: list[str] = []

    def waiting_leiden(*args):  # in the child
        if not select.select([read_end], [], [], 10)[0]:
            raise TimeoutError("the parent did not read the labels while Leiden ran")
        return leiden(*args)

    def signalling_label_inputs(*args):  # in the parent
        events.append(f"labels {os.getpid()}")
        os.write(write_end, b"x")
        return label_inputs(*args)

    monkeypatch.setattr(clustering, "_projection_leiden", waiting_leiden)
    monkeypatch.setattr(communities, "label_inputs", signalling_label_inputs)
    monkeypatch.setattr(clustering, "_FORK_MIN_EDGES", 0)
    try:
        forked = find_communities(P, context=synthetic, seed=3)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert events == [f"labels {os.getpid()}"]  # once, in this process
    assert forked == here and forked.rows == here.rows
    assert dict(forked.membership) == dict(here.membership)


def test_a_failure_beside_the_forked_child_stops_it(monkeypatch) -> None:
    import os
    import time

    from newsgraph.graph.analysis import clustering

    pids: list[int] = []
    fork = os.fork

    def recorded_fork() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    def fails() -> None:
        raise ValueError("no labels")

    monkeypatch.setattr(os, "fork", recorded_fork)
    with pytest.raises(ValueError, match="no labels"):
        clustering._in_forked_child(lambda: time.sleep(60), fails)
    with pytest.raises(ChildProcessError):  # stopped, and waited for
        os.waitpid(pids[0], os.WNOHANG)


@pytest.mark.parametrize("method", ["louvain", "leiden"])
def test_partition_calls_meanwhile_once_when_nothing_is_forked(toy, method) -> None:
    from newsgraph.graph.analysis.clustering import partition
    from newsgraph.graph.analysis.sparse import article_projection

    calls: list[int] = []
    P = article_projection(toy)
    found = partition(P, method=method, seed=1, meanwhile=lambda: calls.append(1))
    assert calls == [1] and found == partition(P, method=method, seed=1)
