"""docs/cookbook.md shows the questions the tests run, as the code has them."""

from __future__ import annotations

from pathlib import Path

from newsgraph.exporters.stores.cookbook import QUESTIONS, questions_markdown
from newsgraph.exporters.stores.sparql import prefixes

DOC = Path(__file__).resolve().parents[2] / "docs" / "cookbook.md"


def test_cookbook_page_is_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text.endswith(questions_markdown())
    assert prefixes().rstrip() in text
    for question in QUESTIONS.values():
        assert f"`{question.name}`" in text


def test_the_seven_questions_of_the_issue_are_there() -> None:
    assert list(QUESTIONS) == [
        "articles_per_provider",
        "topics_by_articles",
        "topic_in_time_range",
        "topic_pairs",
        "related_neighbourhood",
        "community_members",
        "providers_sharing_stories",
    ]
