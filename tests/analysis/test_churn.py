"""Stable community ids across updates: warm start, matching by overlap, the churn report."""

import itertools

import networkx as nx
import pytest

from newsgraph.graph.analysis import (
    article_projection,
    community_churn,
    find_communities,
    match_ids,
)


def cliques(*sizes: int, bridges: int = 1, prefix: str = "n") -> nx.Graph:
    """Cliques of *sizes* in a ring, each joined to the next by *bridges* edges."""
    G = nx.Graph()
    starts = list(itertools.accumulate(sizes, initial=0))
    for start, size in zip(starts, sizes, strict=False):
        G.add_edges_from(
            itertools.combinations([f"{prefix}{i:03d}" for i in range(start, start + size)], 2)
        )
    for k in range(len(sizes)):
        a, b = starts[k], starts[(k + 1) % len(sizes)]
        for j in range(bridges):
            G.add_edge(
                f"{prefix}{a + j:03d}", f"{prefix}{b + sizes[(k + 1) % len(sizes)] - 1 - j:03d}"
            )
    return G


def groups_of(result):
    return {
        cid: frozenset(n for n, c in result.membership.items() if c == cid)
        for cid in {r.id for r in result.rows}
    }


def news(group: str, i: int, **extra):
    """An article of topic group *group*: its topics and provider set it apart from the others."""
    return {
        "url": f"https://{group}.example/{i}",
        "title": f"{group.title()} news number {i}",
        "provider": f"{group}-{i % 3}.example",
        "topics": [group.title(), f"{group.title()} Extra"],
        **extra,
    }


CORPUS = [
    news(g, i)
    for g, n in (("boats", 6), ("trains", 5), ("planes", 4), ("bikes", 3))
    for i in range(n)
]


def test_warm_start_on_an_unchanged_graph_keeps_every_id_and_member(make):
    G = make(CORPUS)
    before = find_communities(G, seed=0)
    again = find_communities(G, seed=0, previous=before)
    assert again.membership == before.membership and again.rows == before.rows
    churn = again.churn
    assert churn is not None and churn.moved == () and churn.share == 0.0
    assert churn.continued == tuple(sorted(r.id for r in before.rows))
    assert churn.born == churn.dissolved == churn.merged == churn.split == ()


def test_new_articles_keep_the_ids_of_the_communities_they_do_not_touch(make):
    before = find_communities(make(CORPUS), seed=0)
    ids = {
        url.split("/")[2]: before.membership[f"article:{url}"] for url in (a["url"] for a in CORPUS)
    }
    assert ids["bikes.example"] == 3  # the smallest group, numbered last
    added = [news("bikes", i) for i in range(3, 10)]  # bikes grows to the largest group
    G = make([*CORPUS, *added])
    warm = find_communities(G, seed=0, previous=before)
    for a in CORPUS:
        key = f"article:{a['url']}"
        assert warm.membership[key] == before.membership[key], key
    for a in added:
        assert warm.membership[f"article:{a['url']}"] == ids["bikes.example"]
    assert warm.rows[0].id == ids["bikes.example"]  # rows stay largest first
    assert warm.churn is not None
    assert warm.churn.joined == (ids["bikes.example"],) and warm.churn.added == len(added)
    assert warm.churn.moved == () and warm.churn.share_outside == 0.0
    # Without the previous partition the ids follow the sizes, and every group is renumbered.
    cold = find_communities(G, seed=0)
    assert cold.membership[f"article:{added[0]['url']}"] == 0
    assert community_churn(before.assignment(), cold.assignment()).share == 1.0


def test_merge_is_reported_and_the_larger_keeps_its_id():
    G = cliques(8, 5, 6)
    before = find_communities(G, method="leiden", seed=0, min_size=2)
    small, other = before.membership["n008"], before.membership["n013"]
    big = before.membership["n000"]
    # The 5-clique now links to every node of the 8-clique: one community of 13.
    G.add_edges_from(
        (a, b) for a in [f"n{i:03d}" for i in range(8)] for b in [f"n{i:03d}" for i in range(8, 13)]
    )
    after = find_communities(G, method="leiden", seed=0, min_size=2, previous=before)
    assert after.partition() == sorted(
        [frozenset(f"n{i:03d}" for i in range(13)), frozenset(f"n{i:03d}" for i in range(13, 19))],
        key=lambda g: min(after.membership[n] for n in g),
    )
    assert after.membership["n000"] == big and after.membership["n013"] == other
    churn = after.churn
    assert churn is not None
    assert churn.merged == ((big, tuple(sorted((big, small)))),)
    assert churn.retired == (small,) and churn.split == () and churn.born == ()
    assert {(n, b, a) for n, b, a in churn.moved} == {
        (f"n{i:03d}", small, big) for i in range(8, 13)
    }


def test_split_is_reported_and_the_larger_piece_keeps_the_id():
    G = cliques(7, 4, 6)
    # Before, article "hub" linked every member of the 7- and 4-cliques: they were one.
    whole = {n: (0 if int(n[1:]) < 11 else 1) for n in G} | {"hub": 0}
    after = find_communities(G, method="leiden", seed=0, min_size=2, previous=whole, next_id=2)
    assert after.membership["n000"] == 0 and after.membership["n011"] == 1
    assert after.membership["n007"] == 2  # the smaller piece gets a fresh id
    churn = after.churn
    assert churn is not None
    assert churn.split == ((0, (0, 2)),) and churn.merged == () and churn.dissolved == ()
    assert churn.continued == (0, 1) and churn.born == () and churn.retired == ()
    assert churn.share == pytest.approx(4 / 17) and churn.removed == 1


def test_communities_the_update_did_not_reach_are_not_rebuilt():
    G = cliques(7, 4, 6)
    # An earlier run (or a different seed) saw the 7- and 4-cliques as one community; the
    # update adds an article to the 6-clique only, so that community stays as it was.
    whole = {n: (0 if int(n[1:]) < 11 else 1) for n in G}
    G.add_edges_from(("new", f"n{i:03d}") for i in range(11, 17))
    after = find_communities(G, method="leiden", seed=0, min_size=2, previous=whole)
    assert after.membership == whole | {"new": 1}
    assert after.churn is not None and after.churn.moved == () and after.churn.joined == (1,)
    # Told that n000 changed, its neighbours (the whole 7-clique) are free to leave.
    moved = find_communities(G, seed=0, min_size=2, previous=whole, touched=["n000"])
    assert moved.churn is not None and moved.churn.split == ((0, (0, 2)),)


def test_retired_ids_are_never_given_again():
    G = cliques(6, 5, 4)
    first = find_communities(G, method="leiden", seed=0)
    assert first.next_id == 3
    gone = first.membership["n011"]  # the 4-clique leaves the graph
    G.remove_nodes_from([f"n{i:03d}" for i in range(11, 15)])
    second = find_communities(G, method="leiden", seed=0, previous=first)
    assert second.churn is not None and second.churn.dissolved == (gone,)
    assert second.next_id == 3
    # A new 4-clique arrives: it is born with id 3, not the retired one.
    G.add_edges_from(itertools.combinations([f"m{i}" for i in range(4)], 2))
    G.add_edge("m0", "n000")
    third = find_communities(G, method="leiden", seed=0, previous=second)
    assert third.membership["m0"] == 3 and third.next_id == 4
    assert third.churn is not None and third.churn.born == (3,)
    assert gone not in third.membership.values()


def test_match_ids_without_a_link_gives_fresh_ids_largest_first():
    previous = {"a": 0, "b": 0, "c": 1, "d": 1, "e": 1}
    ids, next_id = match_ids([["x", "y", "z"], ["a", "b", "w"], ["q", "r"]], previous, next_id=7)
    assert ids == [7, 0, 8] and next_id == 9
    # "c", "d", "e" are still in the graph but unclustered: 1 is not continued by anyone.
    assert match_ids([["a", "c", "q"]], previous, unclustered=["d", "e"]) == ([0], 2)


def test_churn_outside_the_joined_communities():
    before = {"a": 0, "b": 0, "c": 1, "d": 1, "e": 2, "f": 2, "g": None}
    after = {"a": 0, "b": 0, "new": 0, "c": 1, "d": 2, "e": 2, "f": 2, "g": 1}
    churn = community_churn(before, after)
    assert churn.joined == (0,) and churn.added == 1 and churn.removed == 0
    assert churn.outside == 5 and churn.moved_outside == 2  # d: 1 -> 2, g: None -> 1
    assert churn.share == pytest.approx(2 / 7) and churn.share_outside == pytest.approx(2 / 5)
    touched = community_churn(before, after, touched=["d"])  # d got a document of its own
    assert touched.joined == (0, 2) and touched.outside == 3 and touched.moved_outside == 2
    record = touched.to_dict()
    assert record["moves"] == [
        {"node": "d", "before": 1, "after": 2},
        {"node": "g", "before": None, "after": 1},
    ]


@pytest.mark.parametrize("seed", [0, 5])
def test_same_inputs_and_seed_give_the_same_ids(make, seed):
    before = find_communities(make(CORPUS[:-4]), seed=seed)
    runs = [find_communities(make(CORPUS), seed=seed, previous=before) for _ in range(2)]
    assert runs[0].membership == runs[1].membership and runs[0].rows == runs[1].rows
    assert runs[0].churn == runs[1].churn and runs[0].next_id == runs[1].next_id


def test_an_added_article_rewires_a_popular_topic_only_where_it_comes_in(make):
    # 40 articles share one topic: more than neighbours + 1, so they are linked in a ring.
    corpus = [{"url": f"https://x.example/{i:02d}", "topics": ["Weather"]} for i in range(40)]
    corpus += [{"url": f"https://y.example/{i:02d}"} for i in range(40)]  # so Weather tells
    before = article_projection(make(corpus), neighbours=6)
    after = article_projection(
        make([*corpus, {"url": "https://x.example/new", "topics": ["Weather"]}]), neighbours=6
    )

    def pairs(P):
        return {
            (P.nodes[a], P.nodes[b])
            for a, b in zip(P.source.tolist(), P.target.tolist(), strict=True)
        }

    old = pairs(before)
    kept = {p for p in pairs(after) if "article:https://x.example/new" not in p}
    assert len(old) == 40 * 3
    assert len(old - kept) <= 6  # the ring is cut in one place, not reshuffled
