"""Planning and rendering for :mod:`benchmarks.synthetic` (private: use ``generate_corpus``).

:class:`Corpus` plans every article with one seeded generator, then renders each document from
string templates.  Templates rather than ``yaml.dump``: dumping 100k nested mappings takes
minutes, and templates keep the seed's layout (field order, blank lines, plain names).  Values
are quoted by json's string encoder: a JSON string is a valid YAML double-quoted scalar.

>>> corpus = Corpus(0, {"providers": 10, "topics": 10, "communities": 2, "zipf": 1.0,
...                     "mixing": 0.1, "story_fraction": 0.3, "stub_fraction": 0.1,
...                     "max_related": 3, "amp_alias_rate": 0.05, "tracking_rate": 0.03})
>>> corpus.plan(20)
>>> related_of = corpus.schedule(20)
>>> corpus.document(0, 0, related_of[0], None).splitlines()[:2]
['---', 'category: news']
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import os
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring
from typing import Any

__all__ = ["Corpus", "PlannedArticle"]

# Invented vocabulary: every name and headline is made of these words.
_SYLLABLES = [
    "vel",
    "tra",
    "no",
    "rin",
    "qua",
    "lor",
    "mer",
    "zan",
    "dex",
    "ori",
    "pal",
    "sen",
    "tho",
    "ka",
    "lu",
    "mir",
    "ost",
    "ven",
    "cal",
    "dra",
    "fen",
    "gor",
    "hal",
    "isk",
]
_ENDINGS = ["ford", "ham", "port", "vale", "field", "ton", "wick", "mouth", "bury", "stead"]
_OUTLETS = [
    "Courier",
    "Gazette",
    "Ledger",
    "Times",
    "Post",
    "Herald",
    "Tribune",
    "Dispatch",
    "Journal",
    "Review",
    "Wire",
    "Chronicle",
    "Observer",
    "Record",
    "Bulletin",
    "Sentinel",
    "Daily",
    "Report",
    "Monitor",
    "Signal",
]
_ORG_KINDS = ["Labs", "Systems", "Group", "Works", "Energy", "Motors", "Health", "Bank", "Air"]
_TOPIC_HEADS = [
    "Cloud",
    "Quantum",
    "Urban",
    "Ocean",
    "Solar",
    "Digital",
    "Public",
    "Space",
    "Food",
    "Mobile",
    "Open",
    "Rural",
    "Data",
    "Health",
    "Robot",
    "Climate",
    "Energy",
    "Water",
    "Retail",
    "Transit",
]
_TOPIC_TAILS = [
    "Computing",
    "Policy",
    "Research",
    "Security",
    "Markets",
    "Startups",
    "Transport",
    "Science",
    "Ethics",
    "Finance",
    "Design",
    "Networks",
    "Education",
    "Safety",
    "Logistics",
    "Farming",
    "Media",
    "Sports",
    "Trade",
    "Weather",
    "Privacy",
    "Robotics",
    "Law",
    "Mining",
    "Tourism",
]
_VERBS = [
    ("unveils", "launches", "introduces", "debuts"),
    ("cuts", "trims", "reduces"),
    ("delays", "postpones", "pushes back", "holds off on"),
    ("expands", "grows", "extends"),
    ("recalls", "withdraws", "pulls"),
    ("wins", "secures", "lands", "clinches"),
    ("opens", "inaugurates", "starts"),
    ("tests", "trials", "pilots"),
    ("sells", "offloads", "spins off"),
    ("halts", "pauses", "suspends", "freezes"),
]
_ADJECTIVES = [
    "solar",
    "quantum",
    "regional",
    "mobile",
    "urban",
    "coastal",
    "digital",
    "rural",
    "autonomous",
    "modular",
    "electric",
    "low-cost",
    "offshore",
    "hydrogen",
    "wireless",
    "seasonal",
    "municipal",
    "portable",
    "orbital",
    "refurbished",
]
_NOUNS = [
    "battery",
    "network",
    "clinic",
    "rail line",
    "payment app",
    "data centre",
    "chip plant",
    "vaccine trial",
    "ferry service",
    "water plan",
    "drone fleet",
    "wind farm",
    "bus route",
    "school program",
    "satellite",
    "grain silo",
    "tram depot",
    "heat pump",
    "cable car",
]
_TEMPLATES = [
    "{a} {v} {o} in {p}",
    "{p}: {a} {v} {o}",
    "{a} {v} {o}, {p} officials say",
    "Why {a} {v} {o} in {p}",
    "{a} {v} {o} as {p} {r}",
    "Report: {a} {v} {o} near {p}",
]
_REACTIONS = ["weighs costs", "waits for details", "cheers", "raises questions", "takes stock"]
_CLAUSES = [
    "according to people familiar with the plan",
    "a move analysts had expected for months",
    "though the timeline is still open",
    "with a first phase due next spring",
    "after a long review by local regulators",
    "while café owners nearby watched closely",
    "in a decision — cautious, some said — made late in the day",
    "ahead of a vote next week",
    "citing supply costs and weather",
    "as rivals prepare similar plans",
]
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .&'-]*[A-Za-z0-9.]\Z")
_START = datetime(2020, 1, 1, tzinfo=UTC)
_SPAN = 730 * 24 * 60  # minutes: two years of news
_STORY_SPAN = 48 * 60


@dataclass(slots=True)
class PlannedArticle:
    """One planned article: a primary (it gets a document) or a stub (only ever related)."""

    community: int
    story: int | None
    provider: int
    topics: tuple[int, ...]
    minute: int
    title: str
    excerpt: str
    stamp: str = ""  # publishedDateTime
    url: str = ""
    amp: str | None = None
    cdn: str | None = None
    images: tuple[tuple[str, int, int], ...] = ()
    quality: int = 0
    snippet: str | None = None  # its entry in related lists, rendered once


# A JSON string is a valid YAML double-quoted scalar, so json's C string encoder quotes (it is
# json.dumps without the encoder set-up, five times faster on short strings).
_q = encode_basestring


def _scalar(text: str) -> str:
    """Plain where YAML reads it back the same (the seed writes names plainly), else quoted."""
    return text if _PLAIN.match(text) and text.lower() not in _YAML_WORDS else _q(text)


class _Sampler:
    """Draws Zipf-weighted items, from one community's members or, with ``mixing``, from all."""

    def __init__(self, rng: random.Random, n: int, communities: int, exponent: float) -> None:
        weights = [1.0 / (rank + 1) ** exponent for rank in range(n)]
        order = list(range(n))
        rng.shuffle(order)  # dealt at random: each community gets popular and rare members
        self.members = [sorted(order[k::communities]) for k in range(communities)]
        self.cumulative = [list(itertools.accumulate(weights[i] for i in m)) for m in self.members]
        self.everyone, self.all_cumulative = range(n), list(itertools.accumulate(weights))
        self.mass = [c[-1] if c else 0.0 for c in self.cumulative]

    def draw(self, rng: random.Random, community: int, mixing: float) -> int:
        members, cumulative = self.members[community], self.cumulative[community]
        if not members or rng.random() < mixing:
            members, cumulative = self.everyone, self.all_cumulative  # type: ignore[assignment]
        return rng.choices(members, cum_weights=cumulative)[0]


class Corpus:
    """A planned corpus: providers, topics, communities, stories and articles, then documents.

    ``p`` holds the parameters of :func:`benchmarks.synthetic.generate_corpus`.  Articles are
    numbered: primaries first (in file order), then stubs.
    """

    def __init__(self, seed: int, p: Mapping[str, Any]) -> None:
        rng = self.rng = random.Random(seed)
        self.seed, self.p = seed, p
        self.places = [s.title() + e for s, e in itertools.product(_SYLLABLES, _ENDINGS)]
        names = [f"{place} {outlet}" for place, outlet in itertools.product(self.places, _OUTLETS)]
        topics = [f"{h} {t}" for h, t in itertools.product(_TOPIC_HEADS, _TOPIC_TAILS)]
        rng.shuffle(names)
        rng.shuffle(topics)
        names = [
            names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "")
            for i in range(p["providers"])
        ]
        self.providers = [(n, re.sub(r"[^a-z0-9]", "", n.lower()) + ".example") for n in names]
        self.topics = [
            topics[i % len(topics)] + (f" {i // len(topics) + 1}" if i >= len(topics) else "")
            for i in range(p["topics"])
        ]
        self.provider_sampler = _Sampler(rng, len(names), p["communities"], p["zipf"])
        self.topic_sampler = _Sampler(rng, len(self.topics), p["communities"], p["zipf"])
        self.articles: list[PlannedArticle] = []

    # -- planning ------------------------------------------------------------------------------

    def _community(self) -> int:
        # Weighted by provider mass, so provider counts stay Zipf over the whole corpus.
        return self.rng.choices(range(self.p["communities"]), weights=self.provider_sampler.mass)[0]

    def _event(self) -> tuple[str, tuple[str, ...], str, str]:
        rng = self.rng
        name = (rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES)).title()
        actor = f"{name} {rng.choice(_ORG_KINDS)}"
        thing = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"
        return actor, rng.choice(_VERBS), thing, rng.choice(self.places)

    def _topics(self, community: int) -> tuple[int, ...]:
        k = self.rng.choices((0, 1, 2, 3), weights=(1, 3, 4, 2))[0]
        return tuple(
            sorted(
                {self.topic_sampler.draw(self.rng, community, self.p["mixing"]) for _ in range(k)}
            )
        )

    def _article(
        self,
        community: int,
        story: int | None,
        minute: int,
        event: tuple[str, tuple[str, ...], str, str],
        topics: tuple[int, ...],
    ) -> PlannedArticle:
        rng = self.rng
        actor, verbs, obj, place = event
        verb = rng.choice(verbs)
        title = rng.choice(_TEMPLATES).format(
            a=actor, v=verb, o=obj, p=place, r=rng.choice(_REACTIONS)
        )
        day = f"{_START + timedelta(minutes=minute):%A}"
        first, second = rng.sample(_CLAUSES, 2)
        excerpt = (
            f"{actor} {verb} its {obj} in {place} on {day}, {first}. {second[0].upper()}"
            f"{second[1:]}."
        )
        provider = self.provider_sampler.draw(rng, community, self.p["mixing"])
        return PlannedArticle(community, story, provider, topics, minute, title, excerpt)

    def plan(self, n_primary: int) -> None:
        rng, planned, n_stories = self.rng, [], 0
        budget = int(n_primary * self.p["story_fraction"])
        while budget >= 3:
            size = min(budget, 3 + int(17 * rng.random() ** 2))  # mostly small stories
            community, event = self._community(), self._event()
            start = rng.randrange(_SPAN - _STORY_SPAN)
            topics = self._topics(community) or tuple(self.topic_sampler.members[community][:1])
            planned += [
                self._article(
                    community, n_stories, start + rng.randrange(_STORY_SPAN), event, topics
                )
                for _ in range(size)
            ]
            n_stories, budget = n_stories + 1, budget - size
        if self.p.get("traps"):
            from benchmarks._traps import plan_traps

            trapped, n_trap_stories = plan_traps(self, n_primary // 10, n_stories)
            planned += trapped[: n_primary - len(planned)]
            n_stories += n_trap_stories
        while len(planned) < n_primary:
            community = self._community()
            planned.append(
                self._article(
                    community, None, rng.randrange(_SPAN), self._event(), self._topics(community)
                )
            )
        if self.p.get("traps"):
            from benchmarks._traps import add_popular_topic

            add_popular_topic(self, planned)
        rng.shuffle(planned)
        n_stubs = int(n_primary * self.p["stub_fraction"])
        stubs = [
            self._article(c, None, rng.randrange(_SPAN), self._event(), ())
            for c in (self._community() for _ in range(n_stubs))
        ]
        self.articles, self.n_primary = planned + stubs, n_primary
        for number, article in enumerate(self.articles):
            self._address(article, number)
        self.story_members: dict[int, list[int]] = {}
        self.community_members: dict[int, list[int]] = {}
        for number, article in enumerate(self.articles):
            self.community_members.setdefault(article.community, []).append(number)
            if article.story is not None:
                self.story_members.setdefault(article.story, []).append(number)

    def _address(self, article: PlannedArticle, number: int) -> None:
        """URLs, images and quality; a few providers publish on ``news.`` hosts or share images."""
        rng, domain = self.rng, self.providers[article.provider][1]
        host = ("news." if article.provider % 5 == 2 else "www.") + domain
        when = _START + timedelta(minutes=article.minute)
        article.stamp = f"{when:%Y-%m-%dT%H:%M}:00Z"
        slug = re.sub(r"[^a-z0-9]+", "-", article.title.lower()).strip("-")
        path = f"{when:%Y/%m/%d}/{slug}-{number:x}"
        article.url = f"https://{host}/{path}"
        if rng.random() < 0.6:
            article.amp = f"https://{host}/amp/{path}"
            cache = host.replace(".", "-")  # the AMP cache's host encoding (no '-' in our hosts)
            article.cdn = f"https://{cache}.cdn.ampproject.org/c/s/{host}/amp/{path}"
        n_images = (
            rng.choices((0, 1, 2), weights=(2, 7, 1))[0]
            if number < self.n_primary
            else rng.randrange(2)
        )
        shared = article.provider % 4 == 3 and rng.random() < 0.5
        article.images = tuple(
            (
                f"https://{domain}/static/default-share.jpg"
                if shared and i == 0
                else f"https://img.{domain}/{when:%Y/%m}/{number:x}-{i}.jpg",
                1200,
                630 + 45 * i,
            )
            for i in range(n_images)
        )
        article.quality = rng.randrange(100)

    def related_targets(self, number: int) -> list[int]:
        """0 to ``max_related`` other articles: mostly its story, then its community, then any."""
        rng, article = self.rng, self.articles[number]
        story = self.story_members[article.story] if article.story is not None else []
        community = self.community_members[article.community]
        want, chosen = rng.randint(0, self.p["max_related"]), dict[int, None]()  # ordered set
        for _ in range(3 * want):
            if len(chosen) == want:
                break
            if story and rng.random() < 0.7:
                candidate = rng.choice(story)
            elif rng.random() >= self.p["mixing"]:
                candidate = rng.choice(community)
            else:
                candidate = rng.randrange(len(self.articles))
            if candidate != number:
                chosen[candidate] = None
        return list(chosen)

    # -- rendering -----------------------------------------------------------------------------

    def logo(self, provider: int) -> str | None:
        """The logo URL of a provider, if it shows one (only in primary documents)."""
        return (
            f"https://static.{self.providers[provider][1]}/logo-50x50.png"
            if provider % 3 == 1
            else None
        )

    def _provider(self, index: int, indent: str, logo: bool) -> str:
        name, domain = self.providers[index]
        shown = "www." + domain if index % 13 == 7 else domain
        text = f"{indent}provider:\n{indent}  name: {_scalar(name)}\n{indent}  domain: {shown}\n"
        logo_url = self.logo(index) if logo else None
        if logo_url:
            text += (
                f"{indent}  images:\n{indent}    - url: {_q(logo_url)}\n"
                f"{indent}      width: 50\n{indent}      height: 50\n"
            )
        return text

    def _images(self, article: PlannedArticle, indent: str, titled: bool) -> str:
        title = f"{indent}    title: {_q(article.title)}\n" if titled else ""
        items = "".join(
            f"{indent}  - url: {_q(url)}\n{indent}    width: {width}\n"
            f"{indent}    height: {height}\n{indent}    isCached: true\n{title}"
            for url, width, height in article.images
        )
        return f"{indent}images:\n{items}" if items else ""

    def _urls(self, article: PlannedArticle, indent: str) -> str:
        text = f"{indent}webUrl: {_q(article.url)}\n"
        if article.amp and article.cdn:
            text += (
                f"{indent}ampWebUrl: {_q(article.amp)}\n{indent}cdnAmpWebUrl: {_q(article.cdn)}\n"
            )
        return text

    def _related(self, number: int, roll: float) -> str:
        """The related-list entry for article ``number``, sometimes by AMP URLs or tracked URL.

        Only primaries are given by AMP URLs alone: nothing declares a stub's aliases.
        """
        target, p = self.articles[number], self.p
        if target.amp and target.cdn and number < self.n_primary and roll < p["amp_alias_rate"]:
            urls = f"    ampWebUrl: {_q(target.amp)}\n" if roll < p["amp_alias_rate"] / 2 else ""
            urls += f"    cdnAmpWebUrl: {_q(target.cdn)}\n"
        elif roll >= 1 - p["tracking_rate"]:
            urls = f"    webUrl: {_q(target.url + '?utm_source=feed&utm_medium=rss')}\n"
        else:
            if target.snippet is None:
                target.snippet = self._related_text(target, self._urls(target, "    "))
            return target.snippet
        return self._related_text(target, urls)

    def _related_text(self, t: PlannedArticle, urls: str) -> str:
        return (
            f"  - title: {_q(t.title)}\n    excerpt: {_q(t.excerpt)}\n"
            f"    publishedDateTime: {t.stamp}\n{urls}    type: article\n"
            f"{self._provider(t.provider, '    ', logo=False)}    quality: {t.quality}\n"
            f"{self._images(t, '    ', titled=False)}"
        )

    def document(self, index: int, number: int, related: list[int], updated: int | None) -> str:
        """The text of file ``index``, a document of article ``number``.

        Its random choices come from a generator of its own, seeded by the corpus seed and
        ``index``, so documents can be rendered in any order, or in parallel, with equal bytes.
        """
        a, rng = self.articles[number], random.Random(f"{self.seed}/{index}")
        # A few lower-case spellings, so topic keys must be case-folded to merge.
        spellings = [
            self.topics[t].lower() if rng.random() < 0.02 else self.topics[t] for t in a.topics
        ]
        topics = "".join(f"  - {_scalar(name)}\n" for name in spellings)
        heat = "null" if rng.random() < 0.02 else str(rng.randrange(-1, 200))
        excerpt = a.excerpt + (" Updated with new details." if updated is not None else "")
        secured = base64.b64encode(hashlib.sha256(a.url.encode()).digest() * 5).decode()
        return "".join(
            [
                f"---\ncategory: news\ntitle: {_q(a.title)}\nexcerpt: {_q(excerpt)}\n",
                f"publishedDateTime: {a.stamp}\n",
                f"updatedDateTime: {_START + timedelta(minutes=updated):%Y-%m-%dT%H:%M}:00Z\n"
                if updated is not None
                else "",
                self._urls(a, ""),
                f"type: article\nquality: {a.quality}\nheat: {heat}\n",
                f"published: {'true' if a.quality > 30 else 'false'}\n\n",
                self._provider(a.provider, "", logo=True),
                "\n",
                f"topics:\n{topics}\n" if topics else "",
                self._images(a, "", titled=True) + "\n" if a.images else "",
                "related:\n" + "".join(self._related(t, rng.random()) for t in related) + "\n"
                if related
                else "",
                f'secured: "{secured}"\n---\n',
            ]
        )

    def schedule(self, n_documents: int) -> dict[int, list[int]]:
        """Decide which article each file holds; return the related articles of each primary.

        ``files[i]`` is ``(number, updated)``: every primary once, in order, and duplicates
        (a primary again, with an ``updatedDateTime``) at random places.
        """
        rng, n_duplicates = self.rng, n_documents - self.n_primary
        duplicate_at = set(rng.sample(range(1, n_documents), n_duplicates))
        files: list[tuple[int, int | None]] = []
        related_of: dict[int, list[int]] = {}
        for index in range(n_documents):
            if index in duplicate_at:
                number = rng.randrange(len(related_of))
                files.append((number, self.articles[number].minute + rng.randrange(60, 3000)))
            else:
                related_of[len(related_of)] = self.related_targets(len(related_of))
                files.append((len(related_of) - 1, None))
        self.files, self.related_of = files, related_of
        return related_of

    def write_folder(self, directory: str, folder: int) -> None:
        """Write files ``1000 * folder`` to ``1000 * folder + 999`` into ``directory/NNNN/``."""
        path = os.path.join(directory, f"{folder:04d}")
        os.makedirs(path, exist_ok=True)
        for index in range(1000 * folder, min(1000 * (folder + 1), len(self.files))):
            number, updated = self.files[index]
            text = self.document(index, number, self.related_of[number], updated)
            with open(os.path.join(path, f"{index:07d}.md"), "wb") as stream:
                stream.write(text.encode("utf-8"))
