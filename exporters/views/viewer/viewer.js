// newsgraph standalone viewer: draws the graph embedded in the page with sigma.js (WebGL).
//
// Edges are not in graphology: at 500k edges, a graphology edge a link (and sigma's
// processing of each) took most of the load time.  They are drawn from two typed arrays by
// sigma's own line program on sigma's edge layer, after each of sigma's renders (see
// "edges" below).  Nodes use sigma's point program: sigma's default disc program draws one
// WebGL instance a node, which a machine without a GPU (SwiftShader) pays for per instance.
//
// Everything taken from the data is put on the page with textContent, canvas text or a
// URL checked to be http(s): never as markup.  Nothing is fetched.  The layout is computed
// in Python; nodes left out of the drawing are in the search index and are brought in,
// with their neighbours, when asked for.
"use strict";
(function () {
  const { Graph, Sigma, drawDiscNodeLabel, drawDiscNodeHover, EdgeLineProgram, EdgeRectangleProgram, NodePointProgram } =
    window.newsgraphVendor;
  // Marks for benchmarks/bench_view.py (where a load's time goes).
  performance.mark("newsgraph:script");
  const data = JSON.parse(document.getElementById("newsgraph-data").textContent);
  const col = data.nodes;
  const N = col.key.length;
  const kinds = data.kinds || [];
  const communities = data.communities || [];
  const stories = data.stories || [];
  const providers = data.providers || [];
  const topics = data.topics || [];
  const roots = data.roots || [];
  const edgeKinds = data.edge_kinds || [];

  // Colours come from Python (exporters/views/palette.py), shared with the notebook widget.
  const KIND_COLOURS = data.kind_colours || {};
  const PALETTE = data.palette || ["#4e79a7"];
  const OTHER = data.other_colour || "#c8c8c8";
  const DIM = "#e8e8e8";
  // Light and opaque (sigma's WebGL lines with an alpha all but vanish): where thousands of
  // links cross, the nodes and labels stay readable above them.
  const EDGE = "#d9dde3";
  const MAX_RESULTS = 20;
  const SHOW_FIRST = 8;
  const LONG_TEXT = 600;

  const $ = (id) => document.getElementById(id);

  // ---- adjacency over every node (drawn or not), as compressed rows ------------------
  const allEdges = (data.edges || []).concat(data.index_edges || []);
  const start = new Int32Array(N + 1);
  for (const [i, j] of allEdges) { start[i + 1]++; start[j + 1]++; }
  for (let i = 0; i < N; i++) start[i + 1] += start[i];
  const target = new Int32Array(start[N]);
  const targetKind = new Int32Array(start[N]);
  const fill = start.slice(0, N);
  for (const [i, j, k] of allEdges) {
    target[fill[i]] = j; targetKind[fill[i]++] = k;
    target[fill[j]] = i; targetKind[fill[j]++] = k;
  }
  function neighbours(i) {
    const out = [];
    for (let p = start[i]; p < start[i + 1]; p++) out.push([target[p], targetKind[p]]);
    return out;
  }

  let maxDegree = 1;
  for (let i = 0; i < N; i++) maxDegree = Math.max(maxDegree, col.degree[i] || 0);
  const keyIndex = new Map(col.key.map((k, i) => [k, i]));
  const searchText = col.label.map((l, i) => (l + "\u0000" + col.key[i]).toLowerCase());
  const articleKind = kinds.indexOf("article");

  performance.mark("newsgraph:adjacency");
  // ---- the drawn graph -----------------------------------------------------------------
  const graph = new Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  const inGraph = new Uint8Array(N);
  const posX = new Float64Array(N);
  const posY = new Float64Array(N);

  function size(i) { return 1.5 + 9 * Math.sqrt((col.degree[i] || 0) / maxDegree); }

  function addNode(i, x, y) {
    posX[i] = x; posY[i] = y; inGraph[i] = 1;
    graph.addNode(String(i), { x, y, size: size(i), label: col.label[i] });
  }
  for (let i = 0; i < data.drawn; i++) addNode(i, col.x[i], -col.y[i]);
  // The drawn edges, as their ends' numbers: an edge is drawn when both its ends are.
  const drawnEdges = {
    s: new Int32Array((data.edges || []).length),
    t: new Int32Array((data.edges || []).length),
    count: 0,
    add(i, j) {
      if (this.count === this.s.length) {
        const grow = (a) => { const b = new Int32Array(Math.max(16, 2 * a.length)); b.set(a); return b; };
        this.s = grow(this.s);
        this.t = grow(this.t);
      }
      this.s[this.count] = i;
      this.t[this.count++] = j;
    },
  };
  for (const [i, j] of data.edges || []) drawnEdges.add(i, j);
  // Whether sigma's line program must be fed again (see "edges" below).
  let edgesStale = true;
  performance.mark("newsgraph:graph");
  const state = {
    colourBy: data.color_by || "kind",
    hiddenKinds: new Set(),
    provider: -1, topic: -1, community: -1, root: -1, story: -1,
    timeFrom: null, timeTo: null,
    selected: -1, hovered: -1,
    matches: new Set(),
    visible: new Uint8Array(N).fill(1),
    focus: null,
    colourOf: null,
  };

  // ---- helpers -------------------------------------------------------------------------
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function safeUrl(value) {
    try {
      const url = new URL(String(value));
      if (url.protocol === "http:" || url.protocol === "https:") return url.href;
    } catch (err) {
      // Not an absolute URL: shown as text only.
    }
    return null;
  }

  function kindName(i) { return kinds[col.kind[i]] || ""; }
  function groupLabel(list, c, word) { return c >= 0 && c < list.length ? `${word} ${c}: ${list[c]}` : null; }
  function dayText(day) { return new Date(day * 86400000).toISOString().slice(0, 10); }
  function dayOf(text) { const t = Date.parse(text); return Number.isNaN(t) ? null : Math.floor(t / 86400000); }

  // ---- colours -------------------------------------------------------------------------
  // Groups ranked by how many nodes they hold; the first PALETTE.length get a colour.
  function rankedGroups(values) {
    const counts = new Map();
    for (const v of values) if (v >= 0) counts.set(v, (counts.get(v) || 0) + 1);
    return [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || a - b);
  }
  function colouring() {
    if (state.colourBy === "kind") {
      return { of: (i) => KIND_COLOURS[kindName(i)] || OTHER, entries: kinds.map((k) => [KIND_COLOURS[k] || OTHER, k]) };
    }
    const values = state.colourBy === "community" ? col.community : col.provider;
    const names = state.colourBy === "community" ? communities : providers;
    const ranked = rankedGroups(values);
    const colourOf = new Map(ranked.slice(0, PALETTE.length).map((g, r) => [g, PALETTE[r]]));
    const entries = ranked.slice(0, PALETTE.length).map((g) =>
      [colourOf.get(g), state.colourBy === "community" ? `${g}: ${names[g]}` : names[g]]);
    const rest = ranked.length - colourOf.size;
    if (rest > 0) entries.push([OTHER, `other: ${rest} more ${state.colourBy === "community" ? "communities" : "providers"}`]);
    entries.push([OTHER, state.colourBy === "community" ? "no community" : "not an article or provider"]);
    return { of: (i) => colourOf.get(values[i]) || OTHER, entries };
  }

  // ---- filters -------------------------------------------------------------------------
  function articleFiltered() {
    return state.provider >= 0 || state.topic >= 0 || state.timeFrom !== null || state.timeTo !== null;
  }
  function articlePasses(i) {
    if (state.provider >= 0 && col.provider[i] !== state.provider) return false;
    if (state.topic >= 0 && !col.topics[i].includes(state.topic)) return false;
    const t = col.time[i];
    if (state.timeFrom !== null && (t === null || t < state.timeFrom)) return false;
    if (state.timeTo !== null && (t === null || t > state.timeTo)) return false;
    return true;
  }
  function applyFilters() {
    const byArticle = articleFiltered();
    const own = new Uint8Array(N);
    for (let i = 0; i < N; i++) {
      own[i] = !state.hiddenKinds.has(kindName(i)) &&
        (state.community < 0 || col.community[i] === state.community) &&
        (state.root < 0 || col.root[i] === state.root) ? 1 : 0;
    }
    if (byArticle) {
      // Articles must match; other nodes stay when a matching article links to them.
      const pass = new Uint8Array(N);
      for (let i = 0; i < N; i++) {
        if (col.kind[i] === articleKind && own[i] && articlePasses(i)) {
          pass[i] = 1;
          for (let p = start[i]; p < start[i + 1]; p++) if (col.kind[target[p]] !== articleKind) pass[target[p]] = 1;
        }
      }
      for (let i = 0; i < N; i++) own[i] = own[i] && pass[i] ? 1 : 0;
    }
    state.visible = own;
    edgesStale = true;
    let shown = 0;
    graph.forEachNode((n) => { shown += own[Number(n)]; });
    let links = 0;
    for (let e = 0; e < drawnEdges.count; e++) links += own[drawnEdges.s[e]] & own[drawnEdges.t[e]];
    $("counts").textContent = `${shown.toLocaleString("en")} of ${graph.order.toLocaleString("en")} drawn nodes ` +
      `(${N.toLocaleString("en")} in the graph), ${links.toLocaleString("en")} links shown`;
    $("graph").dataset.drawnNodes = String(shown);
  }

  function setFocus() {
    const centre = state.hovered >= 0 ? state.hovered : state.selected;
    if (state.story >= 0) {
      state.focus = new Set();
      for (let i = 0; i < N; i++) if (col.story[i] === state.story && inGraph[i]) state.focus.add(i);
    } else if (centre >= 0 && inGraph[centre]) {
      state.focus = new Set([centre]);
      for (let p = start[centre]; p < start[centre + 1]; p++) state.focus.add(target[p]);
    } else {
      state.focus = null;
    }
  }

  // ---- drawing -------------------------------------------------------------------------
  // Sigma picks labels by a grid (about one a cell on screen) but does not stop two labels
  // in neighbouring cells from covering each other: a label is drawn only where it overlaps
  // none drawn before it in the same frame (sigma offers the larger nodes of a cell first).
  let labelsShown = new Set();
  let labelBoxes = [];
  function drawLabel(context, node, settings) {
    if (!node.label) return;
    const size = settings.labelSize;
    context.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
    const box = {
      x0: node.x + node.size + 1, y0: node.y - size / 2 - 2,
      x1: node.x + node.size + 5 + context.measureText(node.label).width, y1: node.y + size / 2 + 2,
    };
    if (!node.forceLabel && labelBoxes.some((b) => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1)) return;
    labelBoxes.push(box);
    labelsShown.add(node.key);
    drawDiscNodeLabel(context, node, settings);
  }

  function nodeReducer(node, attrs) {
    const i = Number(node);
    const out = { ...attrs, color: state.colourOf(i) };
    if (!state.visible[i]) out.hidden = true;
    if (state.focus !== null && !state.focus.has(i)) { out.color = DIM; out.label = ""; out.zIndex = 0; }
    else if (state.focus !== null) { out.zIndex = 1; out.forceLabel = state.focus.size <= 30; }
    if (i === state.selected || state.matches.has(i)) { out.highlighted = true; out.forceLabel = true; out.zIndex = 2; }
    return out;
  }

  // The panels and header are filled before sigma measures its container: sigma sizes its
  // canvas once, and a later change of the header's height would leave it out of step.
  buildControls();
  legend();
  if (window.matchMedia("(min-width: 761px)").matches) document.body.classList.add("show-controls", "show-details");
  showDetails(-1);
  applyFilters();
  performance.mark("newsgraph:controls");
  const container = $("graph");
  const sigma = new Sigma(graph, container, {
    nodeReducer,
    zIndex: true,
    defaultNodeType: "point",
    nodeProgramClasses: { point: NodePointProgram },
    defaultDrawNodeLabel: drawLabel,
    defaultDrawNodeHover: drawDiscNodeHover,
    labelDensity: 0.6,
    labelGridCellSize: 120,
    labelRenderedSizeThreshold: 4,
    labelFont: "system-ui, sans-serif",
    minCameraRatio: 0.002,
    maxCameraRatio: 4,
    allowInvalidContainer: true,
  });
  performance.mark("newsgraph:sigma");
  sigma.on("beforeRender", () => { labelsShown = new Set(); labelBoxes = []; });

  // ---- edges ---------------------------------------------------------------------------
  // Sigma's programs, fed here rather than by sigma: every drawn edge in light grey, or,
  // while a node or a story is in focus, only the focus's edges in red (wider).  The grey
  // lines are refilled after a processing of sigma's that follows a change of what is
  // drawn, shown or where (edgesStale), the focus's edges when the focus changes.
  const edgeGl = sigma.getCanvases().edges.getContext("webgl2") || sigma.getCanvases().edges.getContext("webgl");
  const edgeLines = new EdgeLineProgram(edgeGl, null, sigma);
  const focusEdges = new EdgeRectangleProgram(edgeGl, null, sigma);
  const GREY = { color: EDGE };
  const RED = { color: "#d62728", size: 1.5 };
  // Redrawing 500k lines while the camera moves costs SwiftShader seconds a frame.
  const HIDE_EDGES_ON_MOVE = drawnEdges.count > 200000;
  let focusFilled = null;

  function fillAllEdges() {
    const { s, t, count } = drawnEdges;
    const shown = new Array(N);
    for (let i = 0; i < N; i++) if (inGraph[i]) shown[i] = sigma.getNodeDisplayData(String(i));
    edgeLines.reallocate(count);
    for (let e = 0; e < count; e++) edgeLines.process(0, e, shown[s[e]], shown[t[e]], GREY);
    edgesStale = false;
  }
  function focusEdgeList() {
    const out = [];
    if (state.focus === null) return out;
    for (const a of state.focus) {
      for (let p = start[a]; p < start[a + 1]; p++) {
        const b = target[p];
        if (a < b && inGraph[a] && inGraph[b] && state.focus.has(b) && (state.story >= 0 || a === state.hovered ||
            b === state.hovered || a === state.selected || b === state.selected)) out.push([a, b]);
      }
    }
    return out;
  }
  function fillFocusEdges() {
    const list = focusEdgeList();
    focusEdges.reallocate(list.length);
    list.forEach(([a, b], e) =>
      focusEdges.process(0, e, sigma.getNodeDisplayData(String(a)), sigma.getNodeDisplayData(String(b)), RED));
    focusFilled = state.focus;
  }
  sigma.on("afterProcess", () => { if (edgesStale) fillAllEdges(); focusFilled = null; });
  function moving() {
    const captor = sigma.getMouseCaptor();
    return sigma.getCamera().isAnimated() || captor.isMoving || captor.draggedEvents > 0 || captor.currentWheelDirection !== 0;
  }
  // Edges left out of a frame while moving are drawn once the camera is still (sigma may
  // draw no frame then: its wheel zoom, for one, ends on a frame drawn as moving).
  let waitingForStill = false;
  function drawWhenStill() {
    if (waitingForStill) return;
    waitingForStill = true;
    const check = () => {
      if (moving()) { setTimeout(check, 150); return; }
      waitingForStill = false;
      sigma.scheduleRender();
    };
    setTimeout(check, 150);
  }
  sigma.on("afterRender", () => {
    const params = sigma.getRenderParams();
    if (state.focus !== null) {
      if (focusFilled !== state.focus) fillFocusEdges();
      focusEdges.render(params);
    } else if (HIDE_EDGES_ON_MOVE && moving()) {
      drawWhenStill();
    } else {
      edgeLines.render(params);
    }
  });

  function refresh() { sigma.refresh({ skipIndexation: true }); }
  function redraw() { setFocus(); sigma.refresh(); }

  // ---- bringing in nodes left out -----------------------------------------------------
  function bringIn(i) {
    if (inGraph[i]) return;
    edgesStale = true;  // new lines, and sigma rescales every position when the extent grows
    // Next to the drawn neighbours (their middle), else in the middle of the view.
    let sx = 0, sy = 0, m = 0;
    for (let p = start[i]; p < start[i + 1]; p++) {
      const j = target[p];
      if (inGraph[j]) { sx += posX[j]; sy += posY[j]; m++; }
    }
    if (m) { sx /= m; sy /= m; } else {
      const c = sigma.viewportToGraph({ x: container.clientWidth / 2, y: container.clientHeight / 2 });
      sx = c.x; sy = c.y;
    }
    const spread = 8 + 2 * Math.sqrt(start[i + 1] - start[i]);
    addNode(i, sx + spread * 0.3, sy + spread * 0.3);
    const missing = [];
    for (let p = start[i]; p < start[i + 1]; p++) if (!inGraph[target[p]]) missing.push(target[p]);
    missing.forEach((j, r) => {
      const a = (2 * Math.PI * r) / missing.length;
      addNode(j, posX[i] + spread * Math.cos(a), posY[i] + spread * Math.sin(a));
    });
    // Their edges to drawn nodes, each once (the page's edge list may hold a pair twice).
    const added = new Set();
    for (const a of [i, ...missing]) {
      for (let p = start[a]; p < start[a + 1]; p++) {
        const b = target[p];
        const pair = a < b ? `${a} ${b}` : `${b} ${a}`;
        if (inGraph[b] && !added.has(pair)) {
          added.add(pair);
          drawnEdges.add(a, b);
        }
      }
    }
  }

  // ---- details -------------------------------------------------------------------------
  function showAll(list, items, make) {
    // The first few items, and a button that shows the others: nothing is cut silently.
    items.slice(0, SHOW_FIRST).forEach((item) => list.append(make(item)));
    if (items.length > SHOW_FIRST) {
      const li = el("li");
      const more = el("button", `show all ${items.length}`, "more");
      more.type = "button";
      more.addEventListener("click", () => {
        li.remove();
        items.slice(SHOW_FIRST).forEach((item) => list.append(make(item)));
      });
      li.append(more);
      list.append(li);
    }
  }

  function valueCell(value) {
    const td = el("td");
    if (Array.isArray(value)) {
      const ul = el("ul", null, "values");
      showAll(ul, value, (v) => el("li", v));
      td.append(ul);
    } else if (String(value).length > LONG_TEXT) {
      const text = String(value);
      const span = el("span", text.slice(0, LONG_TEXT) + "…");
      const more = el("button", "show all", "more");
      more.type = "button";
      more.addEventListener("click", () => { span.textContent = text; more.remove(); });
      td.append(span, more);
    } else {
      td.textContent = String(value);
    }
    return td;
  }

  function showDetails(i) {
    const panel = $("details");
    panel.replaceChildren();
    if (i < 0) {
      panel.append(el("p", "Click a node or search to see its details.", "hint"));
      return;
    }
    panel.append(el("h2", col.label[i]));
    const meta = [kindName(i)];
    const c = groupLabel(communities, col.community[i], "community");
    if (c !== null && kindName(i) !== "community") meta.push(c);
    const s = groupLabel(stories, col.story[i], "story");
    if (s !== null) meta.push(s);
    if (roots.length > 1) meta.push(`root: ${roots[col.root[i]]}`);
    panel.append(el("p", meta.join(" · "), "kind"));
    const table = el("table");
    for (const [name, value] of [["degree", col.degree[i]], ...(col.details[i] || [])]) {
      const tr = el("tr");
      tr.append(el("th", name), valueCell(value));
      table.append(tr);
    }
    panel.append(table);
    const links = (col.links[i] || []).map(([url, label]) => [safeUrl(url), label]).filter(([u]) => u !== null);
    if (links.length) {
      panel.append(el("h3", "Links"));
      const ul = el("ul", null, "links");
      for (const [href, label] of links) {
        const a = el("a", href);
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        const li = el("li");
        li.append(el("span", label, "kind"), a);
        ul.append(li);
      }
      panel.append(ul);
    }
    const near = neighbours(i).sort((a, b) => col.degree[b[0]] - col.degree[a[0]] || a[0] - b[0]);
    if (near.length) {
      const all = start[i + 1] - start[i];
      const note = all < col.degree[i] && !inGraph[i] ? ` of ${col.degree[i]}` : "";
      panel.append(el("h3", `Linked nodes (${near.length}${note})`));
      const ul = el("ul", null, "neighbours");
      showAll(ul, near, ([j, k]) => {
        const b = el("button");
        b.type = "button";
        const kind = edgeKinds[k] ? `${kindName(j)} · ${edgeKinds[k]}` : kindName(j);
        b.append(el("span", kind, "kind"), el("span", col.label[j]));
        b.addEventListener("click", () => select(j, true));
        const li = el("li");
        li.append(b);
        return li;
      });
      panel.append(ul);
    }
  }

  function centreOn(i, ratio) {
    const d = sigma.getNodeDisplayData(String(i));
    if (!d) return;
    const camera = sigma.getCamera();
    camera.setState({ x: d.x, y: d.y, ratio: ratio === undefined ? Math.min(camera.ratio, 0.25) : ratio });
  }

  function select(i, centre) {
    if (i >= 0 && !inGraph[i]) bringIn(i);
    state.selected = i;
    if (i >= 0 && !state.visible[i]) {
      // A hidden node was asked for: show it by clearing the filters that hide it.
      clearFilters();
    }
    showDetails(i);
    redraw();
    if (i >= 0 && centre) centreOn(i);
    if (i >= 0) document.body.classList.add("show-details");
  }

  // ---- search --------------------------------------------------------------------------
  function search(query) {
    const q = query.trim().toLowerCase();
    const list = $("results");
    list.replaceChildren();
    state.matches = new Set();
    if (q) {
      const found = [];
      for (let i = 0; i < N; i++) if (searchText[i].includes(q)) found.push(i);
      // Whole-label matches first, then labels starting with the query, then the rest;
      // the best-connected first within each.
      const rank = (i) => {
        const label = col.label[i].toLowerCase();
        return label === q ? 0 : label.startsWith(q) ? 1 : 2;
      };
      found.sort((a, b) => rank(a) - rank(b) || col.degree[b] - col.degree[a] ||
        (col.label[a] < col.label[b] ? -1 : col.label[a] > col.label[b] ? 1 : a - b));
      state.matches = new Set(found.slice(0, 200).filter((i) => inGraph[i]));
      for (const i of found.slice(0, MAX_RESULTS)) {
        const b = el("button");
        b.type = "button";
        b.append(el("span", inGraph[i] ? kindName(i) : `${kindName(i)} · not drawn`, "kind"), el("span", col.label[i]));
        b.addEventListener("click", () => select(i, true));
        const li = el("li");
        li.append(b);
        list.append(li);
      }
      if (!found.length) list.append(el("li", "No match.", "hint"));
      else if (found.length > MAX_RESULTS) list.append(el("li", `… ${found.length - MAX_RESULTS} more`, "hint"));
      redraw();
      return found;
    }
    redraw();
    return [];
  }

  // ---- controls ------------------------------------------------------------------------
  function legend() {
    const box = $("legend");
    box.replaceChildren();
    const { of, entries } = colouring();
    state.colourOf = of;
    for (const [c, text] of entries) {
      const row = el("div");
      const sw = el("span", null, "swatch");
      sw.style.background = c;
      row.append(sw, el("span", text));
      row.title = text;
      box.append(row);
    }
  }

  function clearFilters() {
    state.hiddenKinds.clear();
    state.provider = state.topic = state.community = state.root = -1;
    state.timeFrom = state.timeTo = null;
    syncControls();
    applyFilters();
  }

  function syncControls() {
    for (const name of ["provider", "topic", "community", "root", "story"]) $(name).value = String(state[name]);
    $("time-from").value = state.timeFrom === null ? "" : dayText(state.timeFrom);
    $("time-to").value = state.timeTo === null ? "" : dayText(state.timeTo);
    for (const box of $("kinds").querySelectorAll("input")) box.checked = !state.hiddenKinds.has(box.value);
  }

  function fillSelect(id, all, names, counts, word) {
    const select = $(id);
    select.append(new Option(all, "-1"));
    names.forEach((name, g) => {
      const text = word ? `${g}: ${name}` : name;
      select.append(new Option(counts ? `${text} (${counts[g] || 0})` : text, String(g)));
    });
    select.disabled = names.length === 0;
    select.addEventListener("change", () => {
      state[id] = Number(select.value);
      if (id === "story") { redraw(); fitTo(state.story >= 0 ? [...state.focus] : null); return; }
      applyFilters();
      redraw();
      fitToVisible();
    });
  }

  function countsOf(values) {
    const counts = {};
    for (const v of values) if (v >= 0) counts[v] = (counts[v] || 0) + 1;
    return counts;
  }

  function fitTo(members) {
    const camera = sigma.getCamera();
    if (!members || !members.length) { camera.setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }); return; }
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const i of members) {
      const d = sigma.getNodeDisplayData(String(i));
      if (!d) continue;
      x0 = Math.min(x0, d.x); x1 = Math.max(x1, d.x); y0 = Math.min(y0, d.y); y1 = Math.max(y1, d.y);
    }
    if (x0 === Infinity) return;
    camera.setState({ x: (x0 + x1) / 2, y: (y0 + y1) / 2, ratio: Math.max(0.02, 1.3 * Math.max(x1 - x0, y1 - y0)), angle: 0 });
  }

  // After a filter, the camera frames what is left (a community alone is a speck otherwise).
  function fitToVisible() {
    if (!articleFiltered() && state.community < 0 && state.root < 0) { fitTo(null); return; }
    const shown = [];
    graph.forEachNode((n) => { if (state.visible[Number(n)]) shown.push(Number(n)); });
    fitTo(shown);
  }

  function buildControls() {
    $("title").textContent = data.title || "newsgraph";
    $("note").textContent = data.note || "";
    const kindCounts = countsOf(col.kind);
    kinds.forEach((kind, k) => {
      const label = el("label");
      const box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = kind;
      box.addEventListener("change", () => {
        if (box.checked) state.hiddenKinds.delete(kind); else state.hiddenKinds.add(kind);
        applyFilters();
        redraw();
      });
      label.append(box, el("span", `${kind} (${kindCounts[k] || 0})`));
      $("kinds").append(label);
    });
    fillSelect("provider", "all providers", providers, countsOf(col.provider), false);
    const topicCounts = {};
    col.topics.forEach((ts, i) => { if (col.kind[i] === articleKind) for (const t of ts) topicCounts[t] = (topicCounts[t] || 0) + 1; });
    fillSelect("topic", "all topics", topics, topicCounts, false);
    fillSelect("community", "all communities", communities, countsOf(col.community), true);
    fillSelect("root", "all input roots", roots, countsOf(col.root), false);
    fillSelect("story", "no story highlighted", stories, countsOf(col.story), true);
    const days = col.time.filter((t) => t !== null);
    for (const id of ["time-from", "time-to"]) {
      const input = $(id);
      if (days.length) { input.min = dayText(Math.min(...days.slice(0, 100000))); input.max = dayText(Math.max(...days.slice(0, 100000))); }
      input.disabled = days.length === 0;
      input.addEventListener("change", () => {
        const day = input.value ? dayOf(input.value) : null;
        if (id === "time-from") state.timeFrom = day; else state.timeTo = day;
        applyFilters();
        redraw();
        fitToVisible();
      });
    }
    const colourSelect = $("colour-by");
    colourSelect.value = state.colourBy;
    colourSelect.addEventListener("change", () => { state.colourBy = colourSelect.value; legend(); redraw(); });
    $("fit").addEventListener("click", () => fitTo(null));
    $("reset").addEventListener("click", () => { clearFilters(); state.story = -1; syncControls(); redraw(); fitTo(null); });
    const input = $("search");
    input.addEventListener("input", () => search(input.value));
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      const first = search(input.value)[0];
      if (first !== undefined) select(first, true);
    });
    for (const side of ["controls", "details"]) {
      $(`toggle-${side}`).addEventListener("click", () => document.body.classList.toggle(`show-${side}`));
    }
  }

  // ---- pointer -------------------------------------------------------------------------
  const tooltip = $("tooltip");
  sigma.on("enterNode", ({ node, event }) => {
    const i = Number(node);
    state.hovered = i;
    const lines = [col.label[i], kindName(i)];
    if (col.provider[i] >= 0 && kindName(i) === "article") lines.push(providers[col.provider[i]]);
    if (col.time[i] !== null) lines.push(dayText(col.time[i]));
    const c = groupLabel(communities, col.community[i], "community");
    if (c !== null) lines.push(c);
    tooltip.replaceChildren(...lines.map((line, r) => el(r ? "div" : "strong", line)));
    tooltip.hidden = false;
    tooltip.style.left = `${Math.min(event.x + 14, container.clientWidth - 260)}px`;
    tooltip.style.top = `${event.y + 14}px`;
    setFocus();
    refresh();
  });
  sigma.on("leaveNode", () => {
    state.hovered = -1;
    tooltip.hidden = true;
    setFocus();
    refresh();
  });
  sigma.on("clickNode", ({ node }) => select(Number(node), false));
  sigma.on("clickStage", () => select(-1, false));

  // A small handle for tests and for people at the browser console.
  window.newsgraphViewer = Object.freeze({
    sigma,
    nodeCount: N,
    drawnCount: () => graph.order,
    drawnEdgeCount: () => drawnEdges.count,
    isDrawn: (key) => { const i = keyIndex.get(key); return i !== undefined && inGraph[i] === 1; },
    labelsShown: () => [...labelsShown].map((n) => col.label[Number(n)]),
    select(key) { const i = keyIndex.get(key); if (i !== undefined) select(i, true); return i !== undefined; },
    search(query) { $("search").value = query; return search(query).map((i) => col.key[i]); },
    zoomTo(key, ratio) { const i = keyIndex.get(key); if (i === undefined || !inGraph[i]) return false; centreOn(i, ratio); sigma.refresh(); return true; },
    screenPosition(key) {
      const i = keyIndex.get(key);
      if (i === undefined || !inGraph[i]) return null;
      const rect = container.getBoundingClientRect();
      const p = sigma.graphToViewport({ x: posX[i], y: posY[i] });
      return { x: rect.left + p.x, y: rect.top + p.y };
    },
  });

  // The Sigma constructor has drawn the nodes already (before the edges' handlers were
  // there): the edges are drawn once here, not by a second refresh (seconds at 100k).
  setFocus();
  fillAllEdges();
  edgeLines.render(sigma.getRenderParams());
  performance.mark("newsgraph:edges");
  // Ready once the browser has shown that drawing: the frame after the next one starts
  // only when WebGL (on a machine without a GPU, the CPU) has finished it.
  requestAnimationFrame(() => requestAnimationFrame(() => {
    performance.mark("newsgraph:shown");
    document.documentElement.dataset.viewer = "ready";
  }));
})();
