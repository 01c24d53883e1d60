"""Deterministic synthetic corpora in the seed's shape, with planted structure and ground truth.

:func:`generate_corpus` writes front-matter Markdown documents shaped like the seed article
(provider, topics, images, related items with AMP URLs, ``secured``) under ``DIR/news/`` and the
ground truth to ``DIR/truth.json`` -- beside the documents, so reading ``DIR/news`` never sees it.

What is planted:

- *communities*: every provider and topic belongs to one community; an article takes its
  provider, topics and related links from its community, except with probability ``mixing``;
- *stories*: groups of 3-20 articles of one community about one invented event, published within
  48 hours, with headlines made of the same words and related links to each other;
- Zipf-distributed providers and topics: a few are very frequent, most are rare;
- identity traps the builder must resolve: related items given only by the AMP URLs
  (``ampWebUrl``/``cdnAmpWebUrl``) of a primary article, related ``webUrl`` s with ``utm_*``
  parameters, provider domains written with ``www.``, article hosts (``news.x.example``) other
  than the provider domain, topics spelled in lower case, and about 1% duplicate documents (the
  same ``webUrl`` again, with an ``updatedDateTime``).

The same arguments always give byte-identical files.  Not supported: the other input forms (YAML
lists, JSON, JSON Lines), tags, locales and messy encodings (CRLF, BOM, mojibake) -- the bundled
``samples/`` cover those.  All text is invented from word lists.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     truth = generate_corpus(d, 40, seed=1)
...     files = sorted((Path(d) / "news").rglob("*.md"))
>>> len(files) == truth.counts["documents"] == 40
True
>>> truth.nodes["article"] == truth.counts["primary_articles"] + truth.counts["stub_articles"]
True
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks._corpus import Corpus

__all__ = ["GroundTruth", "generate_corpus", "load_truth", "main"]


@dataclass(frozen=True, slots=True)
class GroundTruth:
    """What a synthetic corpus holds, as the builder should find it.

    ``counts``: ``documents``, ``duplicate_documents``, ``primary_articles`` (distinct canonical
    URLs with a document), ``stub_articles`` (seen only as related items), ``communities`` and
    ``stories``.  ``nodes``/``edges``: expected counts by kind.  ``community`` maps every canonical
    article URL to its planted community, ``story`` every story member to its story, and
    ``primary`` holds the URLs that have a document.
    """

    seed: int
    parameters: Mapping[str, Any]
    counts: Mapping[str, int]
    nodes: Mapping[str, int]
    edges: Mapping[str, int]
    community: Mapping[str, int]
    story: Mapping[str, int]
    primary: frozenset[str]

    def to_dict(self) -> dict[str, Any]:
        """The content of ``truth.json``, articles sorted by URL."""
        articles = {
            url: {
                "community": self.community[url],
                "story": self.story.get(url),
                "primary": url in self.primary,
            }
            for url in sorted(self.community)
        }
        return {
            "generator": "benchmarks.synthetic",
            "format": 1,
            "seed": self.seed,
            "parameters": dict(self.parameters),
            "counts": dict(self.counts),
            "nodes": dict(self.nodes),
            "edges": dict(self.edges),
            "articles": articles,
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text, one article a line (indenting 1M lines is slow)."""
        data = self.to_dict()
        articles = data.pop("articles")
        head = json.dumps(data, ensure_ascii=False, indent=1)
        lines = ",\n".join(
            f"  {json.dumps(url, ensure_ascii=False)}: {json.dumps(entry)}"
            for url, entry in articles.items()
        )
        return f'{head[:-2]},\n "articles": {{\n{lines}\n }}\n}}\n'

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GroundTruth:
        """The inverse of :meth:`to_dict`."""
        articles = data["articles"]
        return cls(
            seed=data["seed"],
            parameters=data["parameters"],
            counts=data["counts"],
            nodes=data["nodes"],
            edges=data["edges"],
            community={u: a["community"] for u, a in articles.items()},
            story={u: a["story"] for u, a in articles.items() if a["story"] is not None},
            primary=frozenset(u for u, a in articles.items() if a["primary"]),
        )


def load_truth(directory: str | Path) -> GroundTruth:
    """Read ``truth.json`` from a directory written by :func:`generate_corpus`."""
    with open(Path(directory) / "truth.json", encoding="utf-8") as stream:
        return GroundTruth.from_dict(json.load(stream))


def _truth(corpus: Corpus, related_of: dict[int, list[int]], n_documents: int) -> GroundTruth:
    """Count what the written documents hold, as the builder should."""
    articles, primaries = corpus.articles, related_of.keys()
    n_duplicates = n_documents - len(primaries)
    appears = set(primaries).union(*related_of.values())
    logos = {logo for i in primaries if (logo := corpus.logo(articles[i].provider))}
    images = logos | {url for i in appears for url, _, _ in articles[i].images}
    urls = {articles[i].url: i for i in appears}
    return GroundTruth(
        seed=corpus.p["seed"],
        parameters=dict(corpus.p),
        counts={
            "documents": len(primaries) + n_duplicates,
            "duplicate_documents": n_duplicates,
            "primary_articles": len(primaries),
            "stub_articles": len(appears) - len(primaries),
            "communities": len({articles[i].community for i in appears}),
            "stories": len({articles[i].story for i in primaries} - {None}),
        },
        nodes={
            "article": len(appears),
            "provider": len({corpus.providers[articles[i].provider][1] for i in appears}),
            "topic": len({t for i in primaries for t in articles[i].topics}),
            "image": len(images),
        },
        edges={
            "published_by": len(appears),
            "about": sum(len(articles[i].topics) for i in primaries),
            "has_image": len(logos) + sum(len(articles[i].images) for i in appears),
            "related_to": sum(map(len, related_of.values())),
        },
        community={u: articles[i].community for u, i in urls.items()},
        story={u: s for u, i in urls.items() if (s := articles[i].story) is not None},
        primary=frozenset(articles[i].url for i in primaries),
    )


_worker_corpus: Corpus | None = None  # set in each worker process by _start_worker


def _start_worker(corpus: Corpus) -> None:
    global _worker_corpus
    _worker_corpus = corpus


def _write_folder(directory: str, folder: int) -> None:
    assert _worker_corpus is not None
    _worker_corpus.write_folder(directory, folder)


def _write(corpus: Corpus, directory: str, jobs: int) -> None:
    """Write every folder of 1,000 documents, in ``jobs`` processes when more than one."""
    folders = range((len(corpus.files) + 999) // 1000)
    if jobs <= 1 or len(folders) <= 1:
        for folder in folders:
            corpus.write_folder(directory, folder)
        return
    # fork shares the planned corpus with the workers without pickling it, where available.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(
        min(jobs, len(folders)), mp_context=context, initializer=_start_worker, initargs=(corpus,)
    ) as pool:
        list(pool.map(_write_folder, [directory] * len(folders), folders))  # raises any error


def generate_corpus(
    directory: str | Path,
    n_documents: int,
    seed: int = 0,
    *,
    providers: int | None = None,
    topics: int | None = None,
    communities: int | None = None,
    story_fraction: float = 0.3,
    mixing: float = 0.1,
    max_related: int = 12,
    duplicate_rate: float = 0.01,
    stub_fraction: float = 0.1,
    amp_alias_rate: float = 0.05,
    tracking_rate: float = 0.03,
    zipf: float = 1.0,
    traps: bool = False,
    write_truth: bool = True,
    jobs: int = 1,
) -> GroundTruth:
    """Write a synthetic corpus of ``n_documents`` files to ``directory/news/``.

    Parameters
    ----------
    directory
        Created if missing.  Documents go to ``news/NNNN/NNNNNNN.md`` (1,000 a folder), the
        ground truth to ``truth.json`` unless ``write_truth`` is false.
    n_documents
        Number of files, duplicates included.
    seed
        The same seed and arguments give byte-identical files.
    providers, topics, communities
        Defaults grow with the corpus: ``min(2000, n/5)`` providers and ``min(500, n/20)`` topics
        (at least 10 each), ``sqrt(n)/3`` communities (at least 2).
    story_fraction, mixing, max_related, duplicate_rate, stub_fraction
        Share of primaries in planted stories; chance that a provider, topic or related link
        ignores the community; most related items a document has; share of duplicate
        documents; related-only articles per primary.
    amp_alias_rate, tracking_rate, zipf
        Share of related items given only by AMP URLs, or with ``utm_*`` parameters; the Zipf
        exponent of provider and topic popularity.
    traps
        Add the traps of real news that analysis must survive (:mod:`benchmarks._traps`):
        daily bulletins on one template, a topic on 30% of the articles, and long-running
        themes of separate events.  Off by default, so the build benchmarks keep their shape.
    jobs
        Processes that render and write documents; the files do not depend on it.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     truth = generate_corpus(d, 100, seed=3)
    ...     load_truth(d) == truth
    True
    >>> truth.counts["duplicate_documents"], truth.counts["primary_articles"]
    (1, 99)
    """
    if n_documents < 1:
        raise ValueError(f"n_documents must be at least 1, not {n_documents}")
    params: dict[str, Any] = {
        "documents": n_documents,
        "seed": seed,
        "providers": providers or min(2000, max(10, n_documents // 5)),
        "topics": topics or min(500, max(10, n_documents // 20)),
        "communities": communities or max(2, round(n_documents**0.5 / 3)),
        "story_fraction": story_fraction,
        "mixing": mixing,
        "max_related": max_related,
        "duplicate_rate": duplicate_rate,
        "stub_fraction": stub_fraction,
        "amp_alias_rate": amp_alias_rate,
        "tracking_rate": tracking_rate,
        "zipf": zipf,
        **({"traps": True} if traps else {}),
    }
    corpus = Corpus(seed, params)
    corpus.plan(n_documents - min(n_documents - 1, round(n_documents * duplicate_rate)))
    root = Path(directory)
    (root / "news").mkdir(parents=True, exist_ok=True)
    related_of = corpus.schedule(n_documents)
    _write(corpus, str(root / "news"), jobs)
    truth = _truth(corpus, related_of, n_documents)
    if write_truth:
        (root / "truth.json").write_bytes(truth.to_json().encode("utf-8"))
    return truth


def main(argv: Sequence[str] | None = None) -> int:
    """Write a synthetic corpus: ``python -m benchmarks.synthetic OUTDIR --documents N``."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.synthetic", description=main.__doc__
    )
    parser.add_argument("outdir", type=Path, help="where to write news/ and truth.json")
    parser.add_argument("--documents", "-n", type=int, default=10_000, help="number of files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--providers", type=int, help="default: min(2000, n/5)")
    parser.add_argument("--topics", type=int, help="default: min(500, n/20)")
    parser.add_argument("--communities", type=int, help="default: sqrt(n)/3")
    parser.add_argument(
        "--traps", action="store_true", help="add bulletins, a 30%% topic and long themes"
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=os.cpu_count() or 1,
        help="processes writing documents (default: one per core)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    truth = generate_corpus(
        args.outdir,
        args.documents,
        args.seed,
        providers=args.providers,
        topics=args.topics,
        communities=args.communities,
        traps=args.traps,
        jobs=args.jobs,
    )
    counts = {
        **truth.counts,
        **{f"{k} nodes": n for k, n in truth.nodes.items()},
        **{f"{k} edges": n for k, n in truth.edges.items()},
    }
    print(
        f"{args.outdir}: {time.perf_counter() - started:.1f} s; "
        + ", ".join(f"{n:,} {k.replace('_', ' ')}" for k, n in counts.items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
