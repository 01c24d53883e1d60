"""Repair the text of titles and excerpts, and fold names into comparison keys.

:func:`clean_text` undoes what real feeds do to text and says which repairs it made,
so the builder can keep the original next to a repaired value.  The repairs, in the
order they run (:data:`REPAIRS`):

1. ``"html-entities"`` -- ``&#8217;``, ``&amp;``, ``&nbsp;`` ... are decoded, repeatedly,
   so that double escaping (``&amp;#8217;``) is undone too.  Entities run *before*
   the mojibake repair because an entity can hide mojibake (``â&#128;&#153;`` is
   ``â€™``), while mojibake repair only rewrites non-ASCII runs and so can never
   produce an ``&`` that would hide an entity.
2. ``"mojibake"`` -- UTF-8 read as Latin-1 or Windows-1252 (``â€”`` -> ``—``), C1
   controls meant as Windows-1252, split surrogate pairs; done by :mod:`ftfy`,
   limited to encoding repair (quotes, ligatures and widths are left alone).
3. ``"control-chars"`` -- characters that XML 1.0 forbids, C0/C1 controls other than
   tab, newline and carriage return, DEL, lone surrogates and stray byte-order marks.
4. ``"nfc"`` -- Unicode NFC.
5. ``"whitespace"`` -- ``\\r\\n`` and lone ``\\r`` become ``\\n`` (this happens right
   after step 1, because ftfy repairs line by line); leading and trailing whitespace
   is stripped.  Inner whitespace is kept.

A no-break space (U+00A0, also what ``&nbsp;`` means) is kept: it is legal, NFC-stable
text, and real excerpts use it by the thousand, so replacing it would mark most of
them as repaired for no visible change.  Comparison keys (:func:`fold_name`) turn it
into a plain space.

Not supported: mojibake through other encodings (MacRoman, cp437, Windows-1251 ...)
is not looked for, markup (``<b>``) is not stripped, and the language is not guessed.

>>> clean_text("It&#8217;s here â€” now ")
('It’s here — now', ('html-entities', 'mojibake', 'whitespace'))
>>> fold_name("  Natural  Language Processing ")
'natural language processing'
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Final

import ftfy

__all__ = ["REPAIRS", "clean_text", "fold_name"]

#: Every repair code :func:`clean_text` can report, in the order the repairs run.
REPAIRS: Final = ("html-entities", "mojibake", "control-chars", "nfc", "whitespace")

# Only encoding repair: ftfy's other fixes (curly quotes, ligatures, full-width
# characters, line breaks) would change text that is not broken.
_FTFY_CONFIG: Final = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,  # its U+FFFD for a lone surrogate would hide the removal
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# An ASCII string needs work only if it has one of these (or outer whitespace).
_ASCII_SUSPECT: Final = re.compile(r"[&\x00-\x08\x0b-\x1f\x7f]")

# Named entities must end in ";": html.unescape alone would also decode the legacy
# forms without it, turning "&region" into "®ion".
_ENTITY: Final = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")

# ftfy is slow (its own mojibake check takes ~150 µs on a 300-character excerpt), so it only
# sees text that could be UTF-8 read as Latin-1 or Windows-1252: a lead byte
# (U+00C2..U+00F4 in both) before a continuation byte (U+0080..U+00BF, or the
# Windows-1252 letters and punctuation at 0x80..0x9F), or one of the leads whose
# continuation 0xA0 was turned into a space ("voilÃ le"); C1 controls and
# surrogates always need a look.
_LEAD: Final = "\u00c2-\u00f4"
_CONTINUATION: Final = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_MOJIBAKE_SUSPECT: Final = re.compile(
    # One character class first, which re scans fast; the look-behinds then tell
    # which of the three cases it was.
    f"[{_LEAD}\x80-\x9f\ud800-\udfff]"
    f"(?:(?<=[{_LEAD}]) ?[{_CONTINUATION}]|(?<=[\u00c2\u00c3\u00c5\u00ce\u00d0\u00d9]) "
    "|(?<=[\x80-\x9f\ud800-\udfff]))"
)

_SURROGATE_PAIR: Final = re.compile("[\ud800-\udbff][\udc00-\udfff]")

# XML 1.0 forbids C0 controls except tab/LF/CR, surrogates, U+FFFE and U+FFFF; C1
# controls and DEL are legal there but never meant in a headline, and a BOM inside
# text is a leftover of a file start.
_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")

# Removing control characters or composing (NFC) can create work for an earlier
# repair ("&am\x00p;", "Ã\x01©", "A\u0302€"), so a pass that did either runs again;
# that keeps cleaning idempotent.  Bounded in case two repairs ever undo each other.
_MAX_PASSES: Final = 4


def clean_text(value: str) -> tuple[str, tuple[str, ...]]:
    """Return ``value`` repaired, and the codes of the repairs made (see :data:`REPAIRS`).

    Cleaning is idempotent: cleaning the result again changes nothing.

    >>> clean_text("Caf\\u00c3\\u00a9 &amp; bar\\x00\\r\\n")
    ('Café & bar', ('html-entities', 'mojibake', 'control-chars', 'whitespace'))
    >>> clean_text("plain ASCII")
    ('plain ASCII', ())
    """
    if (
        value.isascii()
        and _ASCII_SUSPECT.search(value) is None
        and not (value and (value[0].isspace() or value[-1].isspace()))
    ):
        return value, ()
    applied: set[str] = set()
    for _ in range(_MAX_PASSES):
        value, again = _clean_once(value, applied)
        if not again:
            break
    return value, tuple(code for code in REPAIRS if code in applied)


def fold_name(name: str) -> str:
    """Return the comparison key of a topic or tag name.

    NFKC, case folding, whitespace runs collapsed to one space, outer whitespace removed.

    >>> fold_name("  Natural  Language Processing ")
    'natural language processing'
    >>> fold_name("ＡＩ\\u00a0Ethics") == fold_name("ai ethics")
    True
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _clean_once(text: str, applied: set[str]) -> tuple[str, bool]:
    """Run every repair once, adding the codes of those that changed ``text``.

    Also tell whether another pass could find more to repair.
    """
    again = False
    if "&" in text:
        unescaped = _unescape(text)
        if unescaped != text:
            applied.add("html-entities")
            text = unescaped
    if "\r" in text:  # before ftfy, which repairs line by line
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        applied.add("whitespace")
    if not text.isascii() and _MOJIBAKE_SUSPECT.search(text):
        fixed = ftfy.fix_text(_SURROGATE_PAIR.sub(_join_surrogates, text), _FTFY_CONFIG)
        if fixed != text:
            applied.add("mojibake")
            text = fixed
    removed = _CONTROL.sub("", text)
    if removed != text:
        applied.add("control-chars")
        text, again = removed, True
    if not text.isascii():
        normal = unicodedata.normalize("NFC", text)
        if normal != text:
            applied.add("nfc")
            text, again = normal, True
    stripped = text.strip()
    if stripped != text:
        applied.add("whitespace")
        text = stripped
    return text, again


def _unescape(text: str) -> str:
    """Decode entities until none is left, so ``&amp;amp;`` ends as ``&``."""
    while True:
        decoded = _ENTITY.sub(lambda match: html.unescape(match.group()), text)
        if decoded == text or "&" not in decoded:
            return decoded
        text = decoded


def _join_surrogates(match: re.Match[str]) -> str:
    """Join a UTF-16 surrogate pair that arrived as two code points."""
    return match.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le")
