"""Destinations of the streamed exports: a file appears whole, or not at all."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import fsspec
import pytest
from fsspec.implementations.memory import MemoryFile, MemoryFileSystem

from newsgraph.exporters.destinations import Destination, LocalFolder, UrlFolder, destination


@pytest.fixture
def memory() -> Iterator[str]:
    yield "memory://ng-destinations"
    fs = fsspec.filesystem("memory")
    if fs.exists("/ng-destinations"):
        fs.rm("/ng-destinations", recursive=True)


@pytest.fixture(params=["path", "file-url", "memory-url"])
def folder(request: pytest.FixtureRequest, tmp_path: Path, memory: str) -> Destination:
    target = {"path": str(tmp_path), "file-url": tmp_path.as_uri(), "memory-url": memory}
    made = destination(target[request.param]).child("out")
    made.make()
    return made


def test_a_file_appears_only_when_it_is_complete(folder: Destination) -> None:
    with folder.open("a.nt") as stream:
        stream.write(b"half")
        assert "a.nt" not in folder.names()  # still under a temporary name
    assert folder.names() == ["a.nt"]


def _read(folder: Destination, name: str) -> bytes:
    if isinstance(folder, LocalFolder):
        return (folder.path / name).read_bytes()
    assert isinstance(folder, UrlFolder)
    data: bytes = folder.fs.cat_file(f"{folder.root}/{name}")
    return data


def _stopped_while_writing(folder: Destination, name: str) -> None:
    with folder.open(name) as stream:
        stream.write(b"new, half")
        raise RuntimeError("stopped")


def test_a_failed_write_leaves_neither_the_file_nor_a_temporary(folder: Destination) -> None:
    folder.write("a.nt", b"old")
    with pytest.raises(RuntimeError):
        _stopped_while_writing(folder, "a.nt")
    with pytest.raises(RuntimeError):
        _stopped_while_writing(folder, "b.nt")
    assert folder.names() == ["a.nt"]
    assert _read(folder, "a.nt") == b"old"
    folder.child("s").make()
    folder.child("s").write("b.csv", b"x")
    assert folder.names() == ["a.nt", "s/b.csv"]
    folder.remove("s/b.csv")
    assert folder.names() == ["a.nt"]


def test_a_destination_travels_to_a_worker(tmp_path: Path) -> None:
    """It pickles (a Dask worker gets a copy) and writes to the same place there."""
    for made in (destination(tmp_path), destination(tmp_path.as_uri())):
        copy = pickle.loads(pickle.dumps(made.child("x")))
        copy.make()
        copy.write("f.txt", made.__class__.__name__.encode())
    assert (tmp_path / "x" / "f.txt").read_bytes() == b"UrlFolder"


def test_a_relative_path_is_made_absolute(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    made = destination("out")
    assert isinstance(made, LocalFolder) and made.path == tmp_path / "out"


class _ObjectStore(MemoryFileSystem):  # type: ignore[misc]  # fsspec is untyped
    """A stand-in for an object store (S3, say): an object appears when its upload ends."""

    protocol = ("s3",)
    store: ClassVar[dict[str, Any]] = {}  # its own, not the memory file system's
    pseudo_dirs: ClassVar[list[str]] = [""]

    def _open(self, path: str, mode: str = "rb", **kwargs: Any) -> Any:
        return _Upload(self, path) if mode == "wb" else super()._open(path, mode, **kwargs)


class _Upload:
    def __init__(self, fs: _ObjectStore, path: str) -> None:
        self.fs, self.path, self.data = fs, path, bytearray()

    def write(self, data: bytes) -> int:
        self.data += data
        return len(data)

    def __enter__(self) -> _Upload:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is None:  # a failed upload leaves nothing
            self.fs.store[self.path] = MemoryFile(self.fs, self.path, bytes(self.data))


def test_an_object_store_gets_each_file_in_one_upload_under_its_name() -> None:
    fs = _ObjectStore()
    folder = UrlFolder("s3://bucket/out", fs, "/bucket/out")
    assert folder.in_place
    with folder.open("a.nt") as stream:
        stream.write(b"x")
        assert not fs.exists("/bucket/out/a.nt")
    with pytest.raises(RuntimeError):
        _stopped_while_writing(folder, "b.nt")
    assert fs.find("/bucket") == ["/bucket/out/a.nt"]  # no temporary, no half file
