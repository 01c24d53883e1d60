"""The standalone page at scale: write time, page size, load time and frame rate in Chromium.

    python -m benchmarks.bench_view            # 5k, 50k and 100k articles (5 edges a node)
    python -m benchmarks.bench_view --nodes 5000

For each size it builds a news-shaped graph (:func:`news_graph`: articles in communities with
providers, topics and related links), writes the page (wall and CPU time), opens it in
headless Chromium (Debian's, SwiftShader WebGL: drawn by the CPU) and measures the time until
the viewer is ready (the first frame with every node and edge shown), the CPU time Chromium's
processes spent on it (the WebGL drawing runs in its GPU process), where the page's script
spent it (its ``performance.mark`` phases: reading the HTML up to the script, the adjacency,
the graph, the panels, sigma's first drawing, the edges, the frame shown), and the frames
per second while the camera pans and zooms (see ``FPS_SCRIPT``).  A page of 50 articles is measured first, in the same run, as the baseline:
its frame rate is what this browser on this machine manages for any sigma drawing, and the
ratios say what the graph's size costs on top.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from newsgraph.exporters.views.html import write_html

WORDS = [
    "bridge",
    "harbour",
    "council",
    "vote",
    "storm",
    "river",
    "market",
    "solar",
    "grid",
    "vaccine",
    "trial",
    "court",
    "budget",
    "rail",
    "festival",
    "museum",
    "drought",
    "wildfire",
    "league",
    "final",
    "robot",
    "chip",
    "satellite",
    "launch",
    "election",
    "strike",
    "tariff",
    "housing",
    "school",
    "clinic",
    "ferry",
    "airport",
    "mayor",
    "senate",
    "reactor",
    "turbine",
    "orchard",
    "vineyard",
]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--ignore-gpu-blocklist",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Frames per second as a user sees them: the camera moves through sigma's own animation
# (pan, zoom in, pan, zoom out; sigma redraws on each camera update, scheduled on the next
# animation frame) while a requestAnimationFrame callback counts the frames the browser
# manages to show.  A slow redraw holds the main thread and so lowers the count; sigma's
# "afterRender" events are counted beside it (how many of those frames were redraws), with
# the time the page's script spends in each redraw (WebGL's own work runs in the GPU process).
FPS_SCRIPT = """async () => {
  const sigma = newsgraphViewer.sigma;
  const camera = sigma.getCamera();
  let frames = 0, renders = 0, running = true, began = 0, busy = 0;
  const begin = () => { began = performance.now(); };
  const counted = () => { renders++; busy += performance.now() - began; };
  sigma.on("beforeRender", begin);
  sigma.on("afterRender", counted);
  const tick = () => { frames++; if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const start = performance.now();
  for (const to of [
    { x: 0.35, y: 0.4, ratio: 1 },
    { x: 0.35, y: 0.4, ratio: 0.2 },
    { x: 0.65, y: 0.6, ratio: 0.2 },
    { x: 0.5, y: 0.5, ratio: 1 },
  ]) await camera.animate(to, { duration: 1000 });
  running = false;
  sigma.off("beforeRender", begin);
  sigma.off("afterRender", counted);
  const seconds = (performance.now() - start) / 1000;
  return { fps: frames / seconds, renders: renders / seconds, seconds, render_ms: busy / Math.max(renders, 1) };
}"""


def news_graph(articles: int, *, edges_per_node: float = 5.0, seed: int = 0) -> nx.MultiDiGraph:
    """A news-shaped graph of about *articles* x 1.1 nodes and ``edges_per_node`` x nodes edges.

    Articles belong to communities (1 per 500 articles) with their own providers and topics;
    each article is published by a provider, is about two topics and relates to articles of
    its community (and now and then of another).  Two input roots, ``alpha`` and ``beta``.

    >>> G = news_graph(200)
    >>> G.number_of_nodes() >= 200, G.graph["name"]
    (True, 'synthetic news')
    """
    rng = random.Random(seed)
    G = nx.MultiDiGraph(name="synthetic news")
    groups = max(1, articles // 500)
    providers = max(2, articles // 50)
    topics = max(2, articles // 100)
    for p in range(providers):
        G.add_node(f"provider:p{p}.example", kind="provider", label=f"Provider {p}")
    for t in range(topics):
        G.add_node(f"topic:t{t}", kind="topic", label=f"Topic {rng.choice(WORDS)} {t}")
    target = int(edges_per_node * (articles + providers + topics))
    keys = [f"article:https://n{a % 7}.example/{a}" for a in range(articles)]
    for a, key in enumerate(keys):
        c = a % groups
        words = " ".join(rng.choice(WORDS) for _ in range(5))
        day = 1 + (a * 7919) % 28
        G.add_node(
            key,
            kind="article",
            label=f"{words.capitalize()} {a}",
            title=f"{words.capitalize()} {a}",
            url=f"https://n{a % 7}.example/{a}",
            published=f"2024-0{1 + c % 9}-{day:02d}T08:00:00Z",
            sources=[f"{'alpha' if a % 3 else 'beta'}/news/{a}.md"],
        )
        p = (c * 10 + rng.randrange(10)) % providers
        G.add_edge(key, f"provider:p{p}.example", kind="published_by")
        for t in {(c * 5 + rng.randrange(5)) % topics, (c * 5 + rng.randrange(5)) % topics}:
            G.add_edge(key, f"topic:t{t}", kind="about")
    # number_of_edges() counts a multigraph's edges one by one: keep the count here.
    count = G.number_of_edges()
    while count < target:
        a = rng.randrange(articles)
        c = a % groups
        b = (
            (rng.randrange(articles // groups) * groups + c)
            if rng.random() < 0.9
            else rng.randrange(articles)
        )
        if a != b and b < articles:
            G.add_edge(keys[a], keys[b], kind="related_to")
            count += 1
    return G


# The page's own marks (exporters/views/viewer/viewer.js), in order: ms since navigation.
MARKS_SCRIPT = """() => Object.fromEntries(performance.getEntriesByType("mark")
  .filter((m) => m.name.startsWith("newsgraph:"))
  .map((m) => [m.name.slice(10), Math.round(m.startTime)]))"""


def chromium_cpu_s() -> float:
    """CPU seconds (user + system) used so far by every Chromium process of this machine
    (Linux ``/proc``; 0 elsewhere).  The benchmark's browser is the only one it starts.

    >>> chromium_cpu_s() >= 0
    True
    """
    total = 0
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"chromium" not in f.read():
                    continue
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError, ValueError):
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def measure(articles: int, browser: Any, folder: Path) -> dict[str, Any]:
    G = news_graph(articles)
    wall, cpu = time.perf_counter(), time.process_time()
    out = io.BytesIO()
    write_html(G, out, title=f"{articles} articles")
    written = {"write_s": time.perf_counter() - wall, "write_cpu_s": time.process_time() - cpu}
    path = folder / f"page-{articles}.html"
    path.write_bytes(out.getvalue())
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    start, cpu = time.perf_counter(), chromium_cpu_s()
    page.goto(path.as_uri(), timeout=300_000)  # the page's script runs before "load"
    page.wait_for_selector("html[data-viewer=ready]", timeout=300_000)
    loaded = time.perf_counter() - start
    load_cpu = chromium_cpu_s() - cpu
    marks = page.evaluate(MARKS_SCRIPT)
    moved = page.evaluate(FPS_SCRIPT)
    page.close()
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "page_mb": len(out.getvalue()) / 1e6,
        **written,
        "load_s": loaded,
        "load_cpu_s": load_cpu,
        "marks": marks,
        "fps": moved["fps"],
        "renders": moved["renders"],
        "move_s": moved["seconds"],
        "render_ms": moved["render_ms"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, action="append", help="articles (repeatable)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    sizes = [50, *(args.nodes or [5_000, 50_000, 100_000])]
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for size in sizes:
            rows.append(measure(size, browser, Path(tmp)))
            r = rows[-1]
            base = rows[0]
            print(
                f"{r['nodes']:>8,} nodes {r['edges']:>9,} edges  page {r['page_mb']:6.1f} MB  "
                f"write {r['write_s']:6.1f} s (cpu {r['write_cpu_s']:6.1f} s)  "
                f"load {r['load_s']:5.2f} s ({r['load_s'] / base['load_s']:4.1f}x; "
                f"chromium cpu {r['load_cpu_s']:5.2f} s)  "
                f"{r['fps']:5.1f} frames/s ({r['fps'] / base['fps']:4.2f}x; "
                f"{r['renders']:5.1f} redraws/s, "
                f"{r['render_ms']:6.0f} ms of script a redraw, "
                f"{r['move_s']:4.1f} s for 4 s of camera moves)",
                flush=True,
            )
            print(
                "    page marks (ms since navigation): "
                + ", ".join(f"{name} {ms}" for name, ms in r["marks"].items()),
                f"; load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "",
                flush=True,
            )
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
