"""Reading: files in, :class:`~newsgraph.graph.model.Article` records and :class:`~newsgraph.graph.model.Problem` out.

A bad file never stops the run: it becomes problems and the next file is read.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.md").write_text("---\\ntitle: Hello\\nwebUrl: https://x.example/a\\n---\\n")
>>> _ = (folder / "broken.md").write_text("---\\ntitle: [unclosed\\n---\\n")
>>> articles, problems = load_records([folder])
>>> [a.key for a in articles], [p.code for p in problems]
(['https://x.example/a'], ['yaml-syntax'])
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsgraph.graph.errors import DocumentError
from newsgraph.graph.model import Article, Problem
from newsgraph.graph.reading.documents import parse_document
from newsgraph.graph.reading.files import (
    DEFAULT_MAX_FILE_BYTES,
    iter_files,
    iter_named_paths,
    read_bytes,
)
from newsgraph.graph.reading.normalize import (
    DEFAULT_MAX_FIELD_CHARS,
    DEFAULT_MAX_LIST_ITEMS,
    DEFAULT_MAX_RELATED,
    known_related_items,
    to_article,
)

__all__ = ["ReadOptions", "iter_files", "iter_records", "load_records", "read_file"]


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Limits for reading untrusted files; every limit hit is reported.

    ``max_related`` caps the related items of one document, ``max_list_items`` every
    other list (topics, tags, categories, images).
    """

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS
    max_depth: int = 16
    max_list_items: int = DEFAULT_MAX_LIST_ITEMS
    max_related: int = DEFAULT_MAX_RELATED


def read_file(
    path: str | os.PathLike[str], options: ReadOptions = ReadOptions(), name: str | None = None
) -> tuple[list[Article], list[Problem]]:
    """Read one file into primary articles and the problems found in it.

    ``name`` is what the articles' ``source`` and the problems' ``path`` say (the portable
    name :func:`~newsgraph.graph.reading.files.iter_named_paths` gives; default: ``path``).
    """
    name = name if name is not None else os.fspath(path)
    problems: list[Problem] = []
    try:
        data = read_bytes(path, options.max_file_bytes)
        items, problems = parse_document(
            name,
            data,
            max_depth=options.max_depth,
            known=known_related_items(
                options.max_field_chars, options.max_list_items, options.max_related
            ),
        )
    except DocumentError as err:
        return [], [err.problem()]
    except OSError as err:
        return [], [Problem(name, None, None, "unreadable", err.strerror or str(err))]
    articles: list[Article] = []
    for index, (mapping, line) in enumerate(items):
        where = f"item {index + 1}: " if len(items) > 1 else ""
        if not isinstance(mapping, dict):
            problems.append(
                Problem(
                    name, line, None, "not-a-mapping", f"{where}article is not a mapping; skipped"
                )
            )
            continue
        article = to_article(
            mapping,
            name,
            line,
            problems,
            max_field_chars=options.max_field_chars,
            max_list_items=options.max_list_items,
            max_related=options.max_related,
            where=where,
            position=index + 1 if len(items) > 1 else None,
        )
        if article is not None:
            articles.append(article)
    return articles, problems


def iter_records(
    inputs: Iterable[str | os.PathLike[str]], options: ReadOptions = ReadOptions()
) -> Iterator[Article | Problem]:
    """Lazily yield the primary articles of every input file and every problem, in file order."""
    for path, name, refusal in iter_named_paths(inputs, max_file_bytes=options.max_file_bytes):
        if refusal is not None:
            yield refusal
            continue
        articles, problems = read_file(path, options, name)
        yield from problems
        yield from articles


def load_records(
    inputs: Iterable[str | os.PathLike[str]], options: ReadOptions = ReadOptions()
) -> tuple[list[Article], list[Problem]]:
    """Eager :func:`iter_records`: all articles and all problems."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for record in iter_records(inputs, options):
        if isinstance(record, Article):
            articles.append(record)
        else:
            problems.append(record)
    return articles, problems
