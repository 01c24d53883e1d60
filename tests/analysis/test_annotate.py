from newsgraph.graph.analysis import annotate, article_graph, find_communities, find_stories


def test_annotate_returns_an_annotated_copy(toy):
    communities = find_communities(toy, method="louvain", seed=1)
    stories = find_stories(toy)
    before = {n: dict(d) for n, d in toy.nodes(data=True)}
    A = annotate(toy, communities=communities, stories=stories)
    assert A is not toy and type(A) is type(toy)
    assert {n: dict(d) for n, d in toy.nodes(data=True)} == before
    assert A.nodes["article:https://a.example/solar-1"]["story"] == 0
    assert A.nodes["article:https://b.example/cup-1"]["community"] == 0
    assert "story" not in A.nodes["article:https://a.example/cup-3"]
    assert "community" not in A.nodes["image:https://a.example/farm.jpg"]
    assert sorted(A.edges(keys=True)) == sorted(toy.edges(keys=True))


def test_annotate_with_nothing_is_a_plain_copy(toy):
    A = annotate(toy)
    assert A is not toy
    assert dict(A.nodes(data=True)) == dict(toy.nodes(data=True))


def test_annotate_from_a_projection_marks_articles_only(toy):
    communities = find_communities(article_graph(toy), method="louvain", context=toy)
    A = annotate(toy, communities=communities)
    marked = {A.nodes[n]["kind"] for n in A if "community" in A.nodes[n]}
    assert marked == {"article"}
