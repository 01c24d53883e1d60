"""``newsgraph build --update`` against a full build of the same files.

For each size N it generates a synthetic corpus of N + N/100 documents (cached under the
work folder), holds the last N/100 back, and then runs, each step one ``newsgraph build``
in a fresh child process (so its peak memory is its own):

1. ``--update`` into an empty folder: the first build, a full one that also writes the state;
2. the held-back documents come back (1% new) and N/1000 documents get a new title (0.1%
   changed);
3. ``--update`` again, with its change set (the default): the update being measured;
4. the same update with ``--no-changes``, on a copy of the folder as it was after step 1;
5. a plain full build of the same files into another folder: the baseline.

It prints each step's wall-clock and CPU time (the child's and its workers'), the peak RSS
of the child process, the update's own steps (from ``update.json``), the ratio of the
update's time to the full build's for both updates (the target is <= 0.1), and checks
that the folders hold byte-identical outputs (``--check-changes``: and that the change set
is the one a diff of the whole graphs writes).  Run::

    python -m benchmarks.bench_update                      # 10k
    python -m benchmarks.bench_update --sizes 10000 100000 --formats nt
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.synthetic import generate_corpus

__all__ = ["main"]

#: Files only an update writes.
_UPDATE_ONLY = {"build-state.sqlite", "update.json", "changes"}


def _run(argv: list[str]) -> tuple[float, float, int]:
    """Run ``newsgraph`` in a child; returns seconds, CPU seconds and its peak RSS in MiB."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "newsgraph.exporters.cli", *argv])
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):  # 1: some input had problems, which is no failure here
        raise SystemExit(f"newsgraph {' '.join(argv)} exited {child.returncode}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def _corpus(work: Path, size: int) -> tuple[Path, list[Path]]:
    """The documents folder of a corpus of size + size/100 files, and the files held back."""
    corpus = work / f"update-{size}"
    news = corpus / "news"
    total = size + size // 100
    if not (corpus / "done").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        generate_corpus(corpus, total, seed=0, jobs=2)
        (corpus / "done").touch()
    held = corpus / "held"
    if held.exists():  # put back what an earlier run held back
        for path in held.rglob("*.md"):
            target = news / path.relative_to(held)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
        shutil.rmtree(held)
    files = sorted(news.rglob("*.md"))
    return news, files[size:]


def _hold_back(news: Path, files: list[Path]) -> list[tuple[Path, Path]]:
    held = news.parent / "held"
    moves = []
    for path in files:
        aside = held / path.relative_to(news)
        aside.parent.mkdir(parents=True, exist_ok=True)
        path.rename(aside)
        moves.append((aside, path))
    return moves


def _change_titles(files: list[Path], count: int) -> None:
    step = max(1, len(files) // count)
    for path in files[::step][:count]:
        text = path.read_text(encoding="utf-8")
        quoted = '\ntitle: "' in text  # "Updated" inside the quotes, or the YAML breaks
        old, new = (
            ('\ntitle: "', '\ntitle: "Updated ') if quoted else ("\ntitle: ", "\ntitle: Updated ")
        )
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _same_outputs(a: Path, b: Path) -> bool:
    compared = filecmp.dircmp(a, b, ignore=sorted(_UPDATE_ONLY))

    def same(d: filecmp.dircmp[str]) -> bool:
        if d.left_only or d.right_only or d.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(d.left, d.right, d.common_files, shallow=False)
        return not mismatch and not errors and all(map(same, d.subdirs.values()))

    return same(compared)


def bench(work: Path, size: int, jobs: int, formats: str | None, check: bool) -> None:
    news, new_files = _corpus(work, size)
    moves = _hold_back(news, new_files)
    updated, plain = work / f"out-update-{size}", work / f"out-update-plain-{size}"
    full, previous = work / f"out-full-{size}", work / f"previous-graph-{size}.json"
    for folder in (updated, plain, full):
        shutil.rmtree(folder, ignore_errors=True)
    common = ["-q", "--jobs", str(jobs), *(["-f", formats] if formats else [])]
    rows = [
        (
            "first --update (full, writes the state)",
            _run(["build", str(news), "-o", str(updated), "--update", *common]),
        )
    ]
    for aside, path in moves:
        aside.rename(path)
    kept = sorted(news.rglob("*.md"))
    _change_titles([p for p in kept if p not in set(new_files)], max(1, size // 1000))
    shutil.copytree(updated, plain)  # the same step again, without change sets
    shutil.copyfile(updated / "graph.json", previous)
    change = f"{len(new_files)} new, {max(1, size // 1000)} changed"
    rows.append(
        (
            f"--update: {change}",
            _run(["build", str(news), "-o", str(updated), "--update", *common]),
        )
    )
    rows.append(
        (
            "--update --no-changes: the same",
            _run(["build", str(news), "-o", str(plain), "--update", "--no-changes", *common]),
        )
    )
    rows.append(
        ("full build of the same files", _run(["build", str(news), "-o", str(full), *common]))
    )
    print(
        f"\n{size:,} documents (+{len(new_files):,} new), {jobs} jobs, formats: {formats or 'graph.json only'}"
    )
    print(f"{'step':<48} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13}")
    for name, (seconds, cpu, rss) in rows:
        print(f"{name:<48} {seconds:8.1f} {cpu:8.1f} {rss:13,}")
    for label, folder, (seconds, cpu, _) in (
        ("with change sets", updated, rows[1][1]),
        ("--no-changes", plain, rows[2][1]),
    ):
        steps = json.loads((folder / "update.json").read_text())
        print(f"{label}:")
        print(
            "  update's steps (s):", ", ".join(f"{k} {v:.1f}" for k, v in steps["seconds"].items())
        )
        print(
            f"  patched: {steps['patched']} ({steps['not_patched'] or 'the outputs are patched'}); "
            f"articles touched {steps['articles']['touched']:,}, "
            f"decided {steps['articles']['decided']:,}"
        )
        print(
            f"  ratio update / full build: wall {seconds / rows[3][1][0]:.3f}, "
            f"CPU {cpu / rows[3][1][1]:.3f}"
        )
        print("  outputs byte-identical:", _same_outputs(folder, full))
    if check:
        print("change set equals the whole-graph diff:", _same_changes(previous, news, updated))
    previous.unlink()
    shutil.rmtree(plain)
    state = updated / "build-state.sqlite"
    print(f"state file: {state.stat().st_size / 2**20:,.0f} MiB")


def _same_changes(previous: Path, news: Path, updated: Path) -> bool:
    """Whether ``updated/changes`` is what diffing the whole graphs writes."""
    from newsgraph import build_graph
    from newsgraph.exporters.changes import write_change_sets
    from newsgraph.exporters.property_graph.nodelink import read_nodelink

    with tempfile.TemporaryDirectory() as folder:
        whole = Path(folder) / "changes"
        write_change_sets(read_nodelink(previous), build_graph([news])[0], whole)
        return _same_outputs(whole, updated / "changes")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--formats", help="the -f list of both builds (default: none)")
    parser.add_argument(
        "--check-changes",
        action="store_true",
        help="also diff the whole graphs and check the update's change set against it",
    )
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "newsgraph-bench"
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        bench(args.work, size, args.jobs, args.formats, args.check_changes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
