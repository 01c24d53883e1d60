"""Reading: files in, :class:`~newsgraph.graph.model.Article` records and :class:`~newsgraph.graph.model.Problem` out.

A bad file never stops the run: it becomes problems and the next file is read.  Packs
(tar and zip archives, JSON Lines files: :mod:`~newsgraph.graph.reading.packs`) are read
document by document, without unpacking.

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
    pack_kind,
    read_bytes,
)
from newsgraph.graph.reading.normalize import (
    DEFAULT_MAX_FIELD_CHARS,
    DEFAULT_MAX_LIST_ITEMS,
    DEFAULT_MAX_RELATED,
    known_related_items,
    to_article,
)
from newsgraph.graph.reading.packs import (
    DEFAULT_PART_BYTES,
    Part,
    iter_documents,
    pack_parts,
)

# Also for the builders, not at the top: Item, list_items, read_document, read_item, read_part.
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
    try:
        data = read_bytes(path, options.max_file_bytes)
    except OSError as err:
        return [], [Problem(name, None, None, "unreadable", err.strerror or str(err))]
    return read_document(name, data, options)


def read_document(
    name: str, data: bytes, options: ReadOptions = ReadOptions(), *, json_line: int | None = None
) -> tuple[list[Article], list[Problem]]:
    """Read the bytes of one document (a file, a member of a pack) named ``name``.

    ``json_line``: ``data`` is that line of the JSON Lines file ``name``.

    >>> articles, _ = read_document("a.json", b'{"webUrl": "https://x.example/a"}')
    >>> [(a.key, a.source) for a in articles]
    [('https://x.example/a', 'a.json')]
    """
    try:
        items, problems = parse_document(
            name,
            data,
            max_depth=options.max_depth,
            known=known_related_items(
                options.max_field_chars, options.max_list_items, options.max_related
            ),
            json_line=json_line,
        )
    except DocumentError as err:
        return [], [err.problem()]
    articles: list[Article] = []
    several = len(items) > 1
    for index, (mapping, line) in enumerate(items):
        where = f"item {index + 1}: " if several else ""
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
            position=json_line or (index + 1 if several else None),
        )
        if article is not None:
            articles.append(article)
    return articles, problems


def read_part(
    part: Part, options: ReadOptions = ReadOptions()
) -> Iterator[tuple[list[Article], list[Problem], int]]:
    """Read a part of a pack: ``(articles, problems, files)`` for each member of an archive
    (one file each), or once for the lines of a JSON Lines part (one file for the file's
    first part, none for the others: the file is counted once)."""
    if part.kind != "jsonl":
        for document in iter_documents(part, options.max_file_bytes):
            if document.refusal is not None:
                yield [], [document.refusal], 1
            else:
                yield *read_document(document.name, document.data, options), 1
        return
    articles: list[Article] = []
    problems: list[Problem] = []
    for document in iter_documents(part, options.max_file_bytes):
        if document.refusal is not None:
            problems.append(document.refusal)
            continue
        found, found_problems = read_document(
            document.name, document.data, options, json_line=document.line
        )
        articles.extend(found)
        problems.extend(found_problems)
    yield articles, problems, int(part.start == 0)


#: One thing to read: a file (its path on this machine and its portable name) or a part of a pack.
Item = tuple[str, str] | Part


def read_item(
    item: Item, options: ReadOptions = ReadOptions()
) -> Iterator[tuple[list[Article], list[Problem], int]]:
    """Read a file or a part of a pack: ``(articles, problems, files counted)`` triples."""
    if isinstance(item, Part):
        yield from read_part(item, options)
    else:
        yield *read_file(item[0], options, item[1]), 1


def list_items(
    inputs: Iterable[str | os.PathLike[str]],
    options: ReadOptions = ReadOptions(),
    *,
    part_bytes: int = DEFAULT_PART_BYTES,
) -> tuple[list[tuple[str, str]], list[Part], list[Problem]]:
    """What to read below ``inputs``: the files, the parts of the packs, and the refusals.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "in"
    >>> folder.mkdir(); _ = (folder / "a.md").write_text("x"); _ = (folder / "b.jsonl").write_text("{}")
    >>> files, parts, refused = list_items([folder])
    >>> [name for _, name in files], [p.name for p in parts], refused
    (['in/a.md'], ['in/b.jsonl'], [])
    """
    files: list[tuple[str, str]] = []
    parts: list[Part] = []
    refused: list[Problem] = []
    for path, name, refusal in iter_named_paths(inputs, max_file_bytes=options.max_file_bytes):
        if refusal is not None:
            refused.append(refusal)
        elif pack_kind(name) is None:
            files.append((path, name))
        else:
            try:
                parts.extend(pack_parts(path, name, part_bytes))
            except OSError as err:
                refused.append(Problem(name, None, None, "unreadable", err.strerror or str(err)))
    return files, parts, refused


def iter_records(
    inputs: Iterable[str | os.PathLike[str]], options: ReadOptions = ReadOptions()
) -> Iterator[Article | Problem]:
    """Lazily yield the primary articles of every input file and every problem, in file order."""
    for path, name, refusal in iter_named_paths(inputs, max_file_bytes=options.max_file_bytes):
        if refusal is not None:
            yield refusal
            continue
        kind = pack_kind(name)
        item: Item = (path, name) if kind is None else Part(path, name, kind)  # a whole pack
        for articles, problems, _ in read_item(item, options):
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
