"""docs/formats.md keeps up with the registry: its table is the registry's, and every
database and tool the formats are for has loading instructions."""

from __future__ import annotations

from pathlib import Path

from newsgraph import formats, formats_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "formats.md"


README = DOC.parents[1] / "README.md"


def test_the_readme_table_is_the_registry() -> None:
    assert formats_table() in README.read_text(encoding="utf-8"), (
        "README.md is out of date: paste `newsgraph formats --markdown` over its table"
    )


def test_the_table_is_the_registry() -> None:
    assert formats_table() in DOC.read_text(encoding="utf-8"), (
        "docs/formats.md is out of date: paste `newsgraph formats --markdown` over its table"
    )


def test_every_format_is_described() -> None:
    text = DOC.read_text(encoding="utf-8")
    for f in formats():
        assert (
            f"`{f.name}`" in text.split("## Loading each into its tool", 1)[1] or f.family == "view"
        ), f.name


def test_loading_instructions_cover_the_tools() -> None:
    text = DOC.read_text(encoding="utf-8")
    for needle in (
        "neo4j-admin database import",
        "apoc.import.graphml",
        "readLabels: true",
        '"format": "opencypher"',
        "oxigraph load",
        "Gephi",
        "yEd",
        "Cytoscape",
        "Read_GraphML",
        "newsgraph validate",
    ):
        assert needle in text, needle
