import io

import pytest

from newsgraph.graph.analysis import (
    articles_over_time,
    find_communities,
    plot_communities,
    plot_cooccurrence,
    plot_degree_distribution,
    plot_timeline,
)

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


def rendered(ax, fmt="png"):
    """Save the figure and check it is a real, non-blank image."""
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format=fmt)
    data = buffer.getvalue()
    if fmt == "png":
        assert data.startswith(b"\x89PNG")
        buffer.seek(0)
        pixels = matplotlib.image.imread(buffer)
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
    assert "modularity" in ax.get_title()
    rendered(ax)


def test_community_map_community_level_for_large_graphs(toy, communities):
    ax = plot_communities(toy, communities, max_nodes=5, top=2)
    assert len(ax.collections[1].get_offsets()) == 2
    assert len(ax.texts) == 2
    rendered(ax, "svg")


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
    rendered(ax)


def test_plots_draw_into_given_axes(toy):
    from matplotlib.figure import Figure

    figure = Figure()
    left, right = figure.subplots(1, 2)
    assert plot_degree_distribution(toy, ax=left) is left
    assert plot_cooccurrence(toy, ax=right) is right
    rendered(left)
