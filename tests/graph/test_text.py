"""Tests for newsgraph.graph.text: text repair and name folding."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsgraph.graph.text import REPAIRS, clean_text, fold_name

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

# Every character XML 1.0 allows (production [2] Char).
XML_CHAR = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
# What clean_text promises beyond XML: no controls but tab and newline, no BOM.
UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")

CASES = [
    # html-entities
    ("Today we&#8217;re ready", "Today we’re ready", ("html-entities",)),
    ("&#8220;Quoted&#8221; &#8211; dash", "“Quoted” – dash", ("html-entities",)),
    ("Research &amp; Development", "Research & Development", ("html-entities",)),
    ("Tea&nbsp;time", "Tea\u00a0time", ("html-entities",)),
    ("&#x2014;&#X2014;&mdash;", "———", ("html-entities",)),
    ("Double &amp;#8217; escaped", "Double ’ escaped", ("html-entities",)),
    ("&amp;amp;amp;", "&", ("html-entities",)),
    # ampersands that are not entities stay
    ("AT&T and Q&A", "AT&T and Q&A", ()),
    ("Sales&region &copy without semicolon", "Sales&region &copy without semicolon", ()),
    ("&unknownentity; stays", "&unknownentity; stays", ()),
    # mojibake
    ("Amazon â€” a company", "Amazon — a company", ("mojibake",)),
    ("â€˜Quotedâ€™", "‘Quoted’", ("mojibake",)),
    ("Itâ€™s fine", "It’s fine", ("mojibake",)),
    ("CafÃ© society", "Café society", ("mojibake",)),
    ("voilÃ le travail", "voilà le travail", ("mojibake",)),
    ("ï»¿Headline", "Headline", ("mojibake", "control-chars")),
    ("Smart\x92s quotes", "Smart’s quotes", ("mojibake",)),  # a C1 control meant as cp1252
    ("emoji \ud83d\ude00 pair", "emoji 😀 pair", ("mojibake",)),  # split surrogate pair
    # text that only looks foreign stays as it is
    ("Café owners in München", "Café owners in München", ()),
    ("SÃO PAULO", "SÃO PAULO", ()),
    (
        "“Curly” quotes… and ﬁ ligatures, ＦＵＬＬ width",
        "“Curly” quotes… and ﬁ ligatures, ＦＵＬＬ width",
        (),
    ),
    # both kinds in one string; an entity hiding mojibake
    ("It&#8217;s â€” mixed", "It’s — mixed", ("html-entities", "mojibake")),
    ("â&#128;&#153;", "’", ("html-entities", "mojibake")),
    # a control character splitting mojibake: repairs repeat until nothing changes
    ("Caf\u00c3\x01\u00a9 bar", "Café bar", ("mojibake", "control-chars")),
    ("R&am\x00p;D", "R&D", ("html-entities", "control-chars")),
    # control-chars
    ("bell\x07 and null\x00", "bell and null", ("control-chars",)),
    ("C1\x85 cp1252, \x81 unassigned", "C1… cp1252,  unassigned", ("mojibake", "control-chars")),
    ("del\x7f", "del", ("control-chars",)),
    ("lone \ud800 high \udc00 low", "lone  high  low", ("control-chars",)),
    ("non\ufffecharacters\uffff", "noncharacters", ("control-chars",)),
    ("mid\ufeffword", "midword", ("control-chars",)),
    ("tab\tkept\nnewline kept", "tab\tkept\nnewline kept", ()),
    # nfc
    ("Cafe\u0301", "Café", ("nfc",)),
    ("\u212b ngstrom", "Å ngstrom", ("nfc",)),
    # whitespace
    ("  padded\t\n", "padded", ("whitespace",)),
    ("line one\r\nline two\rline three", "line one\nline two\nline three", ("whitespace",)),
    ("\u00a0nbsp around\u00a0", "nbsp around", ("whitespace",)),
    ("inner  spaces   kept", "inner  spaces   kept", ()),
    # everything at once, reported in pipeline order
    (
        " Caf\u00c3\u00a9 &amp; cre\u0300me\x00\r\n",
        "Café & crème",
        ("html-entities", "mojibake", "control-chars", "nfc", "whitespace"),
    ),
    ("", "", ()),
]


@pytest.mark.parametrize(("raw", "expected", "codes"), CASES)
def test_clean_text(raw: str, expected: str, codes: tuple[str, ...]) -> None:
    assert clean_text(raw) == (expected, codes)
    assert clean_text(expected) == (expected, ())


def test_repair_codes_are_the_documented_ones() -> None:
    assert set(REPAIRS) == {code for _, _, codes in CASES for code in codes}


@pytest.mark.parametrize(
    "text", ["plain ASCII headline", "a", "x = 1; y = 2", "tab\there\nand newline"]
)
def test_fast_path_returns_the_same_object(text: str) -> None:
    cleaned, codes = clean_text(text)
    assert cleaned is text
    assert codes == ()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("  Natural  Language Processing ", "natural language processing"),
        ("AI", "ai"),
        ("ＡＩ\u00a0Ethics", "ai ethics"),  # NFKC: full width and no-break space
        ("Stra\u00dfe", "strasse"),  # case folding, not just lower()
        ("Cafe\u0301\tCulture\n", "café culture"),
        ("ﬁntech", "fintech"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_fold_name(name: str, expected: str) -> None:
    assert fold_name(name) == expected


# --- properties -------------------------------------------------------------------


def _mojibake(text: str) -> str:
    """Return ``text`` as it looks after UTF-8 was read as Windows-1252.

    The five bytes Windows-1252 leaves unassigned become the C1 controls of the same
    number, as browsers and most decoders do.
    """
    return text.encode("utf-8", "surrogatepass").decode("sloppy-windows-1252")


_WORDS = st.text(
    st.sampled_from(list("aZ &;#'’“”—é€™ñü\u00a0\t\r\n\x00\x85\u0301\ufeff")) | st.characters(),
    max_size=30,
)
_DIRTY = st.one_of(
    st.text(max_size=40),
    _WORDS,
    _WORDS.map(_mojibake),
    _WORDS.map(html.escape),
    _WORDS.map(lambda text: text.encode("ascii", "xmlcharrefreplace").decode("ascii")),
    _WORDS.map(lambda text: html.escape(_mojibake(text))),
    _WORDS.map(lambda text: _mojibake(_mojibake(text))),
    _WORDS.map(lambda text: "\x00".join(_mojibake(text))),
)


@settings(deadline=None)
@given(_DIRTY)
@example("é’\r€é")  # ftfy repairs line by line, so "\r" must become "\n" before it runs
@example("Caf\u00c3\x01\u00a9")
def test_clean_text_is_idempotent(text: str) -> None:
    cleaned, _ = clean_text(text)
    assert clean_text(cleaned) == (cleaned, ())


@settings(deadline=None)
@given(_DIRTY)
def test_clean_text_output_is_xml_legal_nfc_and_trimmed(text: str) -> None:
    cleaned, codes = clean_text(text)
    assert XML_CHAR.fullmatch(cleaned)
    assert UNWANTED.search(cleaned) is None
    assert "\r" not in cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == cleaned.strip()
    assert list(codes) == [code for code in REPAIRS if code in codes]
    assert bool(codes) == (cleaned != text)


# ftfy weighs how likely a repair is, so a lone garbled letter ("Ä‘" for "đ") can stay;
# text in the shape of news, with its punctuation and accents, must come back.
_NEWS_TEXT = st.lists(
    st.sampled_from(["Amazon", "bans", "the", "café", "Zürich", "año", "—", "’s", "“quoted”", "…"]),
    min_size=1,
    max_size=8,
).map(" ".join)


@settings(deadline=None)
@given(_NEWS_TEXT)
def test_mojibake_of_news_text_is_undone(text: str) -> None:
    assert clean_text(_mojibake(text)) == (text, ("mojibake",) if not text.isascii() else ())


@given(st.text())
def test_fold_name_is_idempotent_and_trimmed(name: str) -> None:
    folded = fold_name(name)
    assert fold_name(folded) == folded
    assert folded == folded.strip()
    assert "  " not in folded


# --- real data (skipped where ../shared is absent) ---------------------------------

# A quoted title or excerpt in front matter or JSON, escapes left as they are.
_TEXT_FIELD = re.compile(r'(?:title|excerpt)"?[ \t]*:[ \t]*"([^"\\\n]*(?:\\.[^"\\\n]*)*)"')


def test_corpus_titles_and_excerpts_clean() -> None:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip("the shared corpus is not available")
    texts: set[str] = set()
    for path in corpus.rglob("*"):
        if path.suffix in {".md", ".json"}:
            texts.update(_TEXT_FIELD.findall(path.read_text("utf-8")))
    repaired = 0
    for raw in sorted(texts):
        cleaned, codes = clean_text(raw)
        repaired += bool(codes)
        assert XML_CHAR.fullmatch(cleaned), raw
        assert clean_text(cleaned) == (cleaned, ()), raw
        assert "â€" not in cleaned and "&#8217;" not in cleaned, raw
    assert len(texts) > 10_000
    assert 0 < repaired < len(texts) // 10
