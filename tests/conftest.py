"""Shared test fixtures: the fixture folder and a writer of tiny invented articles.

Every article text here and in ``tests/fixtures/`` is invented in the seed's shape; no
sentence comes from a real article.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
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


#: Under ``CI=true`` a skipped test is a failure: a test that needs ``../shared``, Chromium or
#: the store skips with its reason on a developer's machine, but CI must have all three.
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

#: Skips that are right on every machine, CI included: the start of the reason -> why.
#: Keep it short; each entry needs a reason no CI machine can remove.  (Empty today: every
#: skip in the suite is about something CI installs or provides.)
SKIPS_ALLOWED_IN_CI: dict[str, str] = {}


def _skip_is_a_failure(report: pytest.CollectReport | pytest.TestReport) -> None:
    """Under ``CI=true``, turn a skip that is not allowed into a failure naming its reason."""
    if not (IN_CI and report.skipped) or hasattr(report, "wasxfail"):
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    reason = reason.removeprefix("Skipped: ")
    if any(reason.startswith(allowed) for allowed in SKIPS_ALLOWED_IN_CI):
        return
    report.outcome = "failed"
    report.longrepr = (
        f"skipped under CI=true, where nothing may be missing: {reason}\n"
        "(CI needs ../shared beside the clone, chromium and the dev extra; see tests/conftest.py)"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    _skip_is_a_failure(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield  # a module that skips as a whole
    _skip_is_a_failure(report)
    return report


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
