import io

import matplotlib as mpl
import pytest

from newsgraph.graph.analysis import (
    articles_over_time,
    find_communities,
    plot_communities,
    plot_cooccurrence,
    plot_degree_distribution,
    plot_timeline,
)

mpl.use("Agg")


def rendered(ax, fmt="png"):
    """Save the figure and check it is a real, non-blank image."""
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format=fmt)
    data = buffer.getvalue()
    if fmt == "png":
        assert data.startswith(b"\x89PNG")
        buffer.seek(0)
        pixels = mpl.image.imread(buffer)
        assert pixels.std() > 0.01  # not a blank canvas
    else:
        assert b"<svg" in data
    return data


@pytest.fixture
def communities(toy):
    return find_communities(toy, method="louvain", seed=1)


def test_community_map_node_level(toy, communities):
    ax = plot_communities(toy, communities)
    assert len(ax.collections) == 2  # edges, nodes
    assert len(ax.collections[1].get_offsets()) == len(communities.membership)
    assert "modularity" in ax.get_title() and "unclustered" in ax.get_title()
    assert len(ax.get_legend().get_texts()) == len(communities)
    rendered(ax)


def test_community_map_community_level_for_large_graphs(toy, communities):
    ax = plot_communities(toy, communities, max_nodes=5, top=2)
    assert len(ax.collections[1].get_offsets()) == 2
    assert ax.get_legend().get_texts()[0].get_text().startswith("#0 Football")
    rendered(ax, "svg")


def test_community_map_ids_cover_no_disc_and_no_other_id(toy, communities):
    from newsgraph.graph.analysis.community_map import _covers

    ax = plot_communities(toy, communities, max_nodes=5)
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert boxes  # ids were placed
    discs = ax.collections[1]
    centres = ax.transData.transform(discs.get_offsets())
    radii = [(s**0.5) / 2 * ax.figure.dpi / 72 for s in discs.get_sizes()]
    for i, box in enumerate(boxes):
        assert not any(_covers(box, list(c), r) for c, r in zip(centres, radii, strict=True))
        assert not any(box.overlaps(other) for other in boxes[i + 1 :])


def test_community_map_far_outlier_does_not_set_the_view(make):
    articles = [
        {"url": f"u{g}-{i}", "provider": f"p{g}.example", "topics": [f"t{g}"]}
        for g in range(3)
        for i in range(10)
    ]
    G = make(articles)
    communities = find_communities(G, seed=0)
    pos = {n: (i % 7 / 7, i // 7 / 7) for i, n in enumerate(sorted(communities.membership))}
    pos["article:u0-0"] = (1000.0, 1000.0)
    ax = plot_communities(G, communities, pos=pos)
    assert ax.get_xlim()[1] < 10 and ax.get_ylim()[1] < 10
    assert "1 mark(s) far outside the view not shown" in ax.get_title()


def test_degree_distribution_is_log_log_per_kind(toy):
    ax = plot_degree_distribution(toy)
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "article",
        "image",
        "provider",
        "tag",
        "topic",
    ]
    rendered(ax)


def test_cooccurrence_heatmap(toy):
    ax = plot_cooccurrence(toy, top=5)
    assert len(ax.get_xticklabels()) == 5
    assert ax.images[0].get_array().shape == (5, 5)
    rendered(ax)


def test_timeline_plot(toy, communities):
    ax = plot_timeline(articles_over_time(toy, by="community", communities=communities))
    assert len(ax.get_lines()) == len(communities)
    assert ax.get_title() == "Articles per month, for the 3 largest communities"
    rendered(ax)
    everything = plot_timeline(articles_over_time(toy, by="all"))
    assert everything.get_title() == "Articles per month" and everything.get_legend() is None


def test_timeline_old_outlier_does_not_stretch_the_axis(make):
    from matplotlib.dates import num2date

    articles = [
        {"url": f"u{i}", "published": f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}T10:00:00Z"}
        for i in range(300)
    ]
    articles.append({"url": "old", "published": "2017-05-01T10:00:00Z"})
    ax = plot_timeline(articles_over_time(make(articles), by="all", freq="day"))
    assert num2date(ax.get_xlim()[0]).year == 2023  # a day before the first of 2024
    assert "1 article(s) before 2024" in ax.get_xlabel()


def test_degree_axis_ignores_one_hub():
    import networkx as nx

    G = nx.MultiDiGraph()
    for i in range(3000):
        G.add_edge(f"a{i}", f"b{i % 1500}")
    for i in range(5000):
        G.add_edge("hub", f"leaf{i}")
    ax = plot_degree_distribution(G)
    assert ax.get_xlim()[1] < 100
    assert "largest 5,000" in ax.get_xlabel()


def test_cooccurrence_colours_ignore_one_huge_pair(make):
    articles = [{"url": f"x{i}", "topics": ["big", "bigger"]} for i in range(5000)]
    articles += [
        {"url": f"u{i}", "topics": [f"t{i % 30}", f"t{(i + 1) % 30}", f"t{(i + 7) % 30}"]}
        for i in range(300)
    ]
    ax = plot_cooccurrence(make(articles), top=25)
    assert ax.images[0].norm.vmax < 100
    ticks = [t.get_text() for t in ax.images[0].colorbar.ax.get_yticklabels()]
    assert ticks and all("^" not in t and "times" not in t for t in ticks)


def test_plots_draw_into_given_axes(toy):
    from matplotlib.figure import Figure

    figure = Figure()
    left, right = figure.subplots(1, 2)
    assert plot_degree_distribution(toy, ax=left) is left
    assert plot_cooccurrence(toy, ax=right) is right
    rendered(left)
