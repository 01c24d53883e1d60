"""Shared test fixtures: the fixture folder and a writer of tiny invented articles.

Every article text here and in ``tests/fixtures/`` is invented in the seed's shape; no
sentence comes from a real article.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

__all__ = ["ArticleWriter", "article_text"]

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: ``write_article(name, **fields)`` -> the path written (see :func:`write_article`).
ArticleWriter = Callable[..., Path]


def article_text(**fields: Any) -> str:
    """Front-matter Markdown for an invented article with these fields.

    >>> print(article_text(title="Pier reopens", webUrl="https://t.example/pier"), end="")
    ---
    title: Pier reopens
    webUrl: https://t.example/pier
    ---
    """
    body = fields.pop("body", None)
    head = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{head}---\n" + (f"\n{body}\n" if body else "")


def pytest_configure(config: pytest.Config) -> None:
    # Hypothesis imports libcst to print a failing example as a patch; libcst's import warns,
    # and with warnings as errors that would hide the failure behind a pytest INTERNALERROR.
    config.addinivalue_line(
        "filterwarnings", "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
    )


@pytest.fixture
def fixtures() -> Path:
    """The folder of committed fixture files (``tests/fixtures``)."""
    return FIXTURES


@pytest.fixture
def write_article(tmp_path: Path) -> ArticleWriter:
    """A function that writes one invented front-matter article below ``tmp_path``.

    ``write_article("a.md", title=..., webUrl=...)`` returns the path; a name with folders
    creates them.  Field values are written with ``yaml.safe_dump``, so strings that look
    like other YAML types are quoted and come back as text.
    """

    def write(name: str, **fields: Any) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(**fields), encoding="utf-8")
        return path

    return write


#: The real corpus beside the repository (``../shared/corpus``); tests skip where it is absent.
REAL_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
REAL_CORPUS_FOLDERS = ("azure", "powerapps", "coronavirus-api")


@pytest.fixture(scope="session")
def real_corpus() -> Any:
    """``(G, report)`` of the whole real corpus, built once for every test that needs it."""
    folders = [REAL_CORPUS / name for name in REAL_CORPUS_FOLDERS]
    if not all(folder.is_dir() for folder in folders):
        pytest.skip(f"the real corpus is not here: {REAL_CORPUS}")
    from newsgraph import build_graph

    return build_graph(folders, jobs=2)
