"""Tests for newsgraph.graph.reading.repeats: related items read before are not parsed again, and a
file read so gives exactly what parsing all of it gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph import Article, Problem, read_file
from newsgraph.graph.reading import normalize, parts
from newsgraph.graph.reading.normalize import known_related_items
from newsgraph.graph.reading.repeats import restore_known_items, stand_in_known_items
from newsgraph.graph.reading.safeyaml import load_yaml, source_key

# Item bodies as written after "- "; "{i}" is the indentation of the item's own lines.
ITEMS = [
    "title: Alpha\n{i}webUrl: https://r.example/a\n",
    (
        "title: Beta\n{i}webUrl: https://r.example/b\n{i}images:\n{i}  - url: https://r.example/b.jpg\n"
        "{i}    width: 10\n"
    ),
    "title: 'Gamma\n{i}  runs on'\n{i}webUrl: https://r.example/c\n",
    # a quoted title whose next lines look like items of the list, one of them like item 0
    'title: "Delta\n  - title: Alpha\n    webUrl: https://r.example/a\n  - x"\n{i}webUrl: https://r.example/d\n',
    "webUrl: https://r.example/e\n{i}excerpt: |+\n{i}  kept\n\n",  # keeps its trailing blank line
    "title: Zeta\n{i}webUrl: https://r.example/z\n{i}# a comment\n",
    "title: Eta   \n{i}webUrl: https://r.example/h   \n",
    "webUrl: https://r.example/t\n{i}publishedDateTime: not a time\n",  # a problem: never known
    "{{title: Theta, webUrl: 'https://r.example/f'}}\n",
    "title: Iota\n{i}webUrl: https://r.example/i\n{i}related:\n{i}  - webUrl: https://r.example/a\n",
    # one provider as written in three items: its domain, where it has none, is the host's
    "title: Kappa\n{i}webUrl: https://k.example/k\n{i}provider:\n{i}  name: Same Paper\n",
    "title: Lambda\n{i}webUrl: https://www.l.example/l\n{i}provider:\n{i}  name: Same Paper\n",
    "webUrl: https://m.example/m\n{i}provider:\n{i}  name: Same Paper\n{i}  domain: not one\n",
]


def _document(n: int, items: list[int], indent: int, gap: str, pad: str, tail: str) -> str:
    own = " " * (indent + 1 + len(pad))
    body = "".join(f"{' ' * indent}-{pad}{ITEMS[i].format(i=own)}{gap}" for i in items)
    return f"---\ntitle: Host {n}\nwebUrl: https://host.example/{n}\nrelated:\n{body}{tail}---\n"


def _read(path: Path, *before: Path) -> tuple[list[Article], list[Problem]]:
    """Read ``path`` in a fresh process state, after ``before``."""
    normalize._STUB_MEMO.clear()
    parts._PROVIDER_MEMO.clear()
    for other in before:
        read_file(other)
    return read_file(path)


documents = st.builds(
    _document,
    n=st.integers(0, 3),
    items=st.lists(st.integers(0, len(ITEMS) - 1), min_size=1, max_size=5),
    indent=st.sampled_from([0, 2, 4]),
    gap=st.sampled_from(["", "\n", "  # between\n", "# at the margin\n"]),
    pad=st.sampled_from([" ", "   "]),
    tail=st.sampled_from(["", "\n", "secured: '0012'\n", "\nsecured: x\n"]),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(target=documents, before=st.lists(documents, max_size=3))
def test_a_file_reads_the_same_whatever_was_read_before(
    tmp_path: Path, target: str, before: list[str]
) -> None:
    earlier = []
    for n, text in enumerate(before):
        earlier.append(tmp_path / f"before-{n}.md")
        earlier[-1].write_text(text)
    path = tmp_path / "target.md"
    path.write_text(target)
    assert _read(path, *earlier) == _read(path)


def test_known_items_are_stood_in_and_read_with_their_own_lines(tmp_path: Path) -> None:
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text(_document(1, [0, 1], 2, "", " ", ""))
    second.write_text(_document(2, [5, 1, 0], 2, "\n", " ", "secured: x\n"))
    normalize._STUB_MEMO.clear()
    read_file(first)
    front = second.read_text()[4:-4]
    stood_in, spots = stand_in_known_items(front, known_related_items())
    assert len(spots) == 2 and stood_in.count("- {}") == 2
    assert stood_in.count("\n") == front.count("\n")
    (article,), problems = read_file(second)
    assert not problems
    assert [(stub.key, stub.line) for stub in article.related] == [
        ("https://r.example/z", 5),
        ("https://r.example/b", 9),
        ("https://r.example/a", 15),
    ]
    assert _read(second) == ([article], [])


def test_an_item_that_only_looks_known_is_parsed_as_written(tmp_path: Path) -> None:
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text(_document(1, [0], 2, "", " ", ""))
    second.write_text(_document(2, [3], 2, "", " ", ""))  # item 0's text inside a title
    normalize._STUB_MEMO.clear()
    read_file(first)
    assert stand_in_known_items(second.read_text()[4:-4], known_related_items())[1]
    (article,), problems = read_file(second)
    assert [stub.title for stub in article.related] == [
        "Delta - title: Alpha webUrl: https://r.example/a - x"
    ]
    assert _read(second) == ([article], problems)


def test_a_stand_in_found_elsewhere_is_not_restored() -> None:
    text = "related:\n  - title: A\n"
    stood_in, spots = stand_in_known_items(text, lambda key: True)
    assert stood_in == "related:\n  - {}\n"
    moved = load_yaml("other: 1\nrelated:\n  - {}\n")
    assert not restore_known_items(moved, text, spots)
    assert not restore_known_items(load_yaml("related: {}\n"), text, spots)
    assert restore_known_items(load_yaml(stood_in), text, spots)


@pytest.mark.parametrize("text", ["x: 1\n", "x: 1\n\n", "x: 1\n  \n\n"])
def test_trailing_blank_lines_are_not_part_of_an_item(text: str) -> None:
    document = f"- {text}- y: 2\n"
    assert source_key(document, 2, 2 + len(text)) == (2, "x: 1\n")


def test_a_block_scalar_keeps_its_trailing_blank_lines_in_the_key() -> None:
    document = "- x: |+\n    kept\n\n- y: 2\n"
    assert source_key(document, 2, 18) == (2, "x: |+\n    kept\n\n")


def test_the_memo_keeps_the_items_used_last_when_it_makes_room(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a full memo drops its least recently used quarter, between documents: an item that
    # keeps coming back stays known, and the memo stays within its size
    monkeypatch.setattr(normalize, "_STUB_MEMO_SIZE", 8)
    normalize._STUB_MEMO.clear()
    paths = []
    for n in range(7):  # Kept and seven others: full when the last is read
        paths.append(tmp_path / f"{n}.md")
        body = (
            "  - title: Kept\n    webUrl: https://r.example/kept\n"
            f"  - title: Once {n}\n    webUrl: https://r.example/once-{n}\n"
        )
        paths[-1].write_text(f"---\nwebUrl: https://host.example/{n}\nrelated:\n{body}---\n")
    for path in paths:
        read_file(path)
        assert len(normalize._STUB_MEMO) <= 8 + 2  # grows by at most one document's items
    kept = "title: Kept\n    webUrl: https://r.example/kept\n"
    front = paths[0].read_text()[4:-4]
    _, spots = stand_in_known_items(front, known_related_items())
    assert [front[start:end] for _, start, end in spots] == [kept]
    assert _read(paths[-1]) == read_file(paths[-1])


def test_a_provider_read_before_reads_the_same_in_another_article(tmp_path: Path) -> None:
    # the same provider text: the remembered one serves articles on the same host only,
    # and a provider with a problem is read (and its problem reported) every time
    paths = []
    for n, host in enumerate(["k.example", "k.example", "www.l.example", "m.example"]):
        paths.append(tmp_path / f"{n}.md")
        domain = "  domain: not one\n" if host == "m.example" else ""
        paths[-1].write_text(
            f"---\nwebUrl: https://{host}/{n}\ntitle: T\nprovider:\n  name: Same\n{domain}---\n"
        )
    parts._PROVIDER_MEMO.clear()
    read = [read_file(path) for path in paths]
    assert [a[0].provider.domain for (a, _) in read] == [
        "k.example",
        "k.example",
        "l.example",
        "m.example",
    ]
    assert read[0][0][0].provider is read[1][0][0].provider  # remembered, not read again
    assert [p.code for p in read[3][1]] == ["bad-domain"]
    assert read_file(paths[3]) == read[3] == _read(paths[3])
