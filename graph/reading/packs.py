"""Packs: many documents in one file, read where they are, never unpacked.

Millions of small files are slow on any file system; a pack holds many documents in one
file.  A pack is known by the end of its name (:func:`~newsgraph.graph.reading.files.pack_kind`):

* a **tar** archive (``.tar``, ``.tar.gz``/``.tgz``, ``.tar.bz2``, ``.tar.xz``), read as a
  stream, member after member;
* a **zip** archive (``.zip``), member after member;
* a **JSON Lines** file (``.jsonl``, ``.ndjson``): each line is one document -- a JSON
  object shaped like the front matter of a Markdown document -- cut into parts at line
  ends so that several workers share one big file.

Each member of an archive is a file, named ``feeds.tar/day-1/a.md`` (the pack's portable
name, a slash, the member's path without a leading ``./``): that name is the ``source``
(provenance) of the articles read from it, the path of its problems and the name of an
article without a URL (``path:feeds.tar/day-1/a.md``), and the report counts it as a file.
A JSON Lines file stays one file, as it was before packs: its articles' source is the
pack's name, its problems point at the pack and the line, an article without a URL is
``path:dump.jsonl#17`` (its line), and it counts as one file read.  A member or a line
is a document of its own, so the size cap (``max_file_bytes``) applies to each, not to
the pack.

What is refused, with a problem naming the member or line, while the rest is read:
a member whose name is absolute or climbs out (``..``) (``unsafe-member-name``), a
symbolic or hard link (``link-in-pack``), a device or fifo (``not-regular-file``), a second
member of the same name (``duplicate-member``), a document over the size cap
(``file-too-large``), an encrypted zip member or one that fails to decompress
(``unreadable``).  A pack that breaks part-way (a truncated ``.tar.gz``) keeps what was
read before the break and reports the break (``pack-unreadable``).  Hidden members (a name
part starting with ``.``, such as macOS's ``._a.md``) are skipped without a problem, as
hidden files are in folders; folders in archives are skipped.

An archive is read by one worker, front to back (a ``.tar.gz`` cannot be read from the
middle): many archives of a few thousand documents each (shards) spread the work, one big
archive does not.  A JSON Lines file is cut at line ends into parts of about
:data:`DEFAULT_PART_BYTES` that several workers share.

Not supported: packs inside packs (a ``.jsonl`` member of a tar is read as one document,
as a ``.jsonl`` file was before packs), compressed JSON Lines (``.jsonl.gz``), and other
archive formats (7z, rar).

>>> import json, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> lines = [json.dumps({"webUrl": f"https://x.example/{n}"}) for n in (1, 2)]
>>> _ = (folder / "dump.jsonl").write_text("\\n".join(lines) + "\\n")
>>> [(d.name, d.line) for part in pack_parts(str(folder / "dump.jsonl"), "dump.jsonl")
...  for d in iter_documents(part)]
[('dump.jsonl', 1), ('dump.jsonl', 2)]
"""

from __future__ import annotations

import lzma
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from typing import NamedTuple

from newsgraph.graph.model import Problem
from newsgraph.graph.reading.files import DEFAULT_MAX_FILE_BYTES, pack_kind

__all__ = ["DEFAULT_PART_BYTES", "Document", "Part", "iter_documents", "pack_parts"]

#: How many bytes of a JSON Lines pack one worker reads at a time (about as many documents
#: as a chunk of files a worker is given).
DEFAULT_PART_BYTES = 8 * 1024 * 1024

_BLOCK = 1 << 20
_BROKEN_PACK = (tarfile.TarError, OSError, EOFError, zlib.error, lzma.LZMAError)


class Part(NamedTuple):
    """A piece of a pack that one worker reads: a whole archive, or lines of a JSON Lines file.

    ``path`` is where the pack is on the machine that reads it, ``name`` its portable name;
    a JSON Lines part runs from byte ``start`` (the start of line ``line``) to ``stop``.
    """

    path: str
    name: str
    kind: str
    start: int = 0
    stop: int = -1
    line: int = 1


class Document(NamedTuple):
    """One document of a pack: its portable name and bytes, or why it was not read.

    ``line`` is set for a line of a JSON Lines file (whose name is the pack's).
    """

    name: str
    data: bytes
    refusal: Problem | None = None
    line: int | None = None


def pack_parts(path: str, name: str, part_bytes: int = DEFAULT_PART_BYTES) -> list[Part]:
    """The parts of the pack at ``path``: one for an archive; for JSON Lines, pieces of about
    ``part_bytes`` cut at line ends (found by one pass over the file; raises ``OSError``).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp(), "d.jsonl")
    >>> _ = path.write_text("{}\\n{}\\n{}\\n")
    >>> [(p.start, p.stop, p.line) for p in pack_parts(str(path), "d.jsonl", part_bytes=4)]
    [(0, 6, 1), (6, 9, 3)]
    """
    kind = pack_kind(name)
    if kind is None:
        raise ValueError(f"{name!r} is not named as a pack")
    if kind != "jsonl":
        return [Part(path, name, kind)]
    parts: list[Part] = []
    start, line = 0, 1  # the part being made: its first byte and the number of that line
    target = part_bytes  # it ends at the first line end at or after this offset
    offset = newlines = 0  # bytes and line ends before the block in hand
    with open(path, "rb") as handle:
        while block := handle.read(_BLOCK):
            at = 0
            while offset + len(block) > target:
                cut = block.find(b"\n", max(at, target - offset))
                if cut < 0:
                    break  # the line goes on in the next block
                end = offset + cut + 1
                parts.append(Part(path, name, kind, start, end, line))
                start, line = end, newlines + block.count(b"\n", 0, cut + 1) + 1
                target, at = end + part_bytes, cut + 1
            newlines += block.count(b"\n")
            offset += len(block)
    if offset > start or not parts:
        parts.append(Part(path, name, kind, start, offset, line))
    return parts


def iter_documents(part: Part, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Iterator[Document]:
    """The documents of ``part`` in the order they are stored, each refused one with its problem."""
    if part.kind == "jsonl":
        return _jsonl_documents(part, max_file_bytes)
    if part.kind == "zip":
        return _zip_documents(part, max_file_bytes)
    return _tar_documents(part, max_file_bytes)


def _jsonl_documents(part: Part, max_file_bytes: int) -> Iterator[Document]:
    try:
        handle = open(part.path, "rb")  # noqa: SIM115 - closed below, after the documents
    except OSError as err:
        yield _broken(part.name, err)
        return
    with handle:
        handle.seek(part.start)
        offset, line = part.start, part.line
        stop = part.stop if part.stop >= 0 else float("inf")
        while offset < stop:
            raw = handle.readline(max_file_bytes + 2)  # the line end, and a byte to see it is over
            if not raw:
                break
            offset += len(raw)
            size = len(raw) - raw.endswith(b"\n")
            if size > max_file_bytes:
                while not raw.endswith(b"\n") and raw:  # read past the rest of the line
                    raw = handle.readline(_BLOCK)
                    offset += len(raw)
                yield Document(part.name, b"", _too_large(part.name, line), line)
            elif raw.strip():
                yield Document(part.name, raw, None, line)
            line += 1


def _too_large(name: str, line: int | None, size: int | None = None, cap: int = 0) -> Problem:
    what = f"{size} bytes is" if size is not None else "the document is"
    limit = f"the {cap}-byte limit" if cap else "the size limit"
    return Problem(name, line, None, "file-too-large", f"{what} over {limit}; skipped")


def _member_name(pack: str, raw: str) -> tuple[str | None, Problem | None]:
    """The portable name of a member (None for a hidden one or the archive's root), or why
    it is refused."""
    parts = raw.replace("\\", "/").split("/")
    if raw.startswith(("/", "\\")) or ".." in parts or (parts and parts[0].endswith(":")):
        return None, Problem(
            f"{pack}/{raw}",
            None,
            None,
            "unsafe-member-name",
            "the member's name is absolute or leads out of the pack; skipped",
        )
    kept = [p for p in parts if p not in ("", ".")]
    if not kept or any(p.startswith(".") for p in kept):
        return None, None
    return f"{pack}/{'/'.join(kept)}", None


def _refused(name: str, code: str, message: str) -> Document:
    return Document(name, b"", Problem(name, None, None, code, message))


def _tar_documents(part: Part, max_file_bytes: int) -> Iterator[Document]:
    seen: set[str] = set()
    try:
        # "r|*": a stream, any compression -- a member is read where it is, and a .tar.gz
        # is decompressed once, front to back
        with tarfile.open(part.path, mode="r|*") as archive:
            for member in archive:
                name, problem = _member_name(part.name, member.name)
                if problem is not None:
                    yield Document(problem.path, b"", problem)
                if name is None or member.isdir():
                    continue
                if member.issym() or member.islnk():
                    yield _refused(name, "link-in-pack", "a link inside the pack; skipped")
                elif not member.isreg():
                    yield _refused(name, "not-regular-file", "not a regular file; skipped")
                elif name in seen:
                    yield _refused(
                        name, "duplicate-member", "a second member of this name; skipped"
                    )
                elif member.size > max_file_bytes:
                    yield Document(name, b"", _too_large(name, None, member.size, max_file_bytes))
                else:
                    seen.add(name)
                    handle = archive.extractfile(member)
                    yield Document(name, handle.read() if handle is not None else b"")
    except _BROKEN_PACK as err:
        yield _broken(part.name, err)


def _broken(name: str, err: BaseException) -> Document:
    reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return _refused(name, "pack-unreadable", f"{reason}; the rest of the pack was not read")


def _zip_documents(part: Part, max_file_bytes: int) -> Iterator[Document]:
    try:
        archive = zipfile.ZipFile(part.path)
    except (zipfile.BadZipFile, OSError) as err:
        yield _broken(part.name, err)
        return
    seen: set[str] = set()
    with archive:
        for info in archive.infolist():
            name, problem = _member_name(part.name, info.filename)
            if problem is not None:
                yield Document(problem.path, b"", problem)
            if name is None or info.is_dir():
                continue
            kind = stat.S_IFMT(info.external_attr >> 16)  # 0 where the zip tool wrote none
            if kind == stat.S_IFLNK:
                yield _refused(name, "link-in-pack", "a link inside the pack; skipped")
            elif kind not in (0, stat.S_IFREG):
                yield _refused(name, "not-regular-file", "not a regular file; skipped")
            elif name in seen:
                yield _refused(name, "duplicate-member", "a second member of this name; skipped")
            elif info.file_size > max_file_bytes:
                yield Document(name, b"", _too_large(name, None, info.file_size, max_file_bytes))
            else:
                seen.add(name)
                yield _zip_member(archive, info, name, max_file_bytes)


def _zip_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, max_file_bytes: int
) -> Document:
    try:
        with archive.open(info) as handle:
            data = handle.read(max_file_bytes + 1)  # the stated size may lie
    except (RuntimeError, NotImplementedError, zipfile.BadZipFile, OSError, zlib.error) as err:
        return _refused(name, "unreadable", f"cannot decompress the member ({err}); skipped")
    if len(data) > max_file_bytes:
        return Document(name, b"", _too_large(name, None, None, max_file_bytes))
    return Document(name, data)
