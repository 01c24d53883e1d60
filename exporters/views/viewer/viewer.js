// newsgraph standalone viewer: draws the graph embedded in the page on a canvas.
//
// Everything taken from the data is put on the page with textContent, canvas text or a
// URL checked to be http(s): never as markup.  Nothing is fetched.  The layout is computed
// in Python, so the page only pans, zooms, filters and shows details.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("newsgraph-data").textContent);
  const nodes = data.nodes || [];
  const edges = data.edges || [];
  const topics = data.topics || [];
  const communities = data.communities || [];

  const KIND_COLOURS = {
    article: "#4e79a7", provider: "#f28e2b", topic: "#59a14f", tag: "#b07aa1",
    image: "#9c9c9c", community: "#76b7b2",
  };
  const PALETTE = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#17becf", "#bcbd22", "#8c564b", "#1f77b4", "#d62728", "#2ca02c", "#9467bd",
    "#e377c2", "#7f7f7f", "#aec7e8", "#ffbb78",
  ];
  const OTHER = "#c8c8c8";
  const MAX_RESULTS = 20;

  const $ = (id) => document.getElementById(id);
  const canvas = $("graph");
  const ctx = canvas.getContext("2d");

  const neighbours = nodes.map(() => []);
  for (const [i, j, kind] of edges) {
    neighbours[i].push([j, kind]);
    neighbours[j].push([i, kind]);
  }
  const maxDegree = nodes.reduce((m, n) => Math.max(m, n.degree || 0), 1);
  const byDegree = nodes.map((_, i) => i).sort((a, b) => nodes[b].degree - nodes[a].degree);
  const keyIndex = new Map(nodes.map((n, i) => [n.key, i]));
  const kinds = [...new Set(nodes.map((n) => n.kind))].sort();
  const onlyCommunities = nodes.length > 0 && kinds.length === 1 && kinds[0] === "community";

  const state = {
    colourBy: onlyCommunities ? "community" : "kind",
    hiddenKinds: new Set(),
    topic: -1,
    community: -1,
    selected: -1,
    matches: new Set(),
    visible: nodes.map(() => true),
    scale: 1, ox: 0, oy: 0, fitScale: 1,
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

  function colour(i) {
    const n = nodes[i];
    if (state.colourBy === "community") {
      return n.community >= 0 && n.community < PALETTE.length ? PALETTE[n.community] : OTHER;
    }
    return KIND_COLOURS[n.kind] || OTHER;
  }

  function radius(i) {
    const zoom = Math.min(2.5, Math.max(1, Math.sqrt(state.scale / state.fitScale)));
    return (3 + 9 * Math.sqrt((nodes[i].degree || 0) / maxDegree)) * zoom;
  }

  function toScreen(i) {
    return [nodes[i].x * state.scale + state.ox, nodes[i].y * state.scale + state.oy];
  }

  function size() {
    const rect = canvas.getBoundingClientRect();
    return [Math.max(1, rect.width), Math.max(1, rect.height)];
  }

  // ---- filters -------------------------------------------------------------------------
  function applyFilters() {
    let topicSet = null;
    if (state.topic >= 0) {
      topicSet = new Set();
      nodes.forEach((n, i) => {
        const about = n.kind === "article" && (n.topics || []).includes(state.topic);
        if (about || (n.kind === "topic" && n.label === topics[state.topic])) {
          topicSet.add(i);
          if (about) {
            for (const [j] of neighbours[i]) if (nodes[j].kind !== "article") topicSet.add(j);
          }
        }
      });
    }
    state.visible = nodes.map((n, i) =>
      !state.hiddenKinds.has(n.kind) &&
      (topicSet === null || topicSet.has(i)) &&
      (state.community < 0 || n.community === state.community));
    const shown = state.visible.filter(Boolean).length;
    const links = edges.filter(([i, j]) => state.visible[i] && state.visible[j]).length;
    $("counts").textContent = `${shown.toLocaleString("en")} of ${nodes.length.toLocaleString("en")} nodes, ` +
      `${links.toLocaleString("en")} links shown`;
  }

  // ---- drawing -------------------------------------------------------------------------
  function resize() {
    const [w, h] = size();
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }

  function fit() {
    const [w, h] = size();
    const shown = nodes.filter((_, i) => state.visible[i]);
    const pick = shown.length ? shown : nodes;
    if (!pick.length) return;
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const n of pick) {
      x0 = Math.min(x0, n.x); x1 = Math.max(x1, n.x);
      y0 = Math.min(y0, n.y); y1 = Math.max(y1, n.y);
    }
    const margin = 30;
    const scale = Math.min((w - 2 * margin) / Math.max(x1 - x0, 1), (h - 2 * margin) / Math.max(y1 - y0, 1));
    state.scale = state.fitScale = Math.max(scale, 1e-3);
    state.ox = w / 2 - ((x0 + x1) / 2) * scale;
    state.oy = h / 2 - ((y0 + y1) / 2) * scale;
  }

  function draw() {
    const [w, h] = size();
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, w, h);
    if (!nodes.length) {
      ctx.fillStyle = "#666";
      ctx.font = "16px system-ui, sans-serif";
      ctx.fillText("This graph has no nodes.", 20, 30);
      return;
    }
    const sel = state.selected;
    ctx.lineWidth = 0.7;
    ctx.strokeStyle = "rgba(90, 100, 115, 0.22)";
    ctx.beginPath();
    for (const [i, j] of edges) {
      if (!state.visible[i] || !state.visible[j]) continue;
      const [ax, ay] = toScreen(i);
      const [bx, by] = toScreen(j);
      ctx.moveTo(ax, ay);
      ctx.lineTo(bx, by);
    }
    ctx.stroke();
    if (sel >= 0 && state.visible[sel]) {
      ctx.lineWidth = 1.6;
      ctx.strokeStyle = "rgba(214, 39, 40, 0.7)";
      ctx.beginPath();
      const [ax, ay] = toScreen(sel);
      for (const [j] of neighbours[sel]) {
        if (!state.visible[j]) continue;
        const [bx, by] = toScreen(j);
        ctx.moveTo(ax, ay);
        ctx.lineTo(bx, by);
      }
      ctx.stroke();
    }
    // One path per colour: far fewer fills than one per node.
    const groups = new Map();
    let drawn = 0;
    for (let i = 0; i < nodes.length; i++) {
      if (!state.visible[i]) continue;
      const [x, y] = toScreen(i);
      if (x < -20 || y < -20 || x > w + 20 || y > h + 20) continue;
      const c = colour(i);
      if (!groups.has(c)) groups.set(c, []);
      groups.get(c).push(i);
      drawn++;
    }
    for (const [c, members] of groups) {
      ctx.fillStyle = c;
      ctx.beginPath();
      for (const i of members) {
        const [x, y] = toScreen(i);
        const r = radius(i);
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      }
      ctx.fill();
    }
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = "#222";
    for (const i of state.matches) {
      if (!state.visible[i]) continue;
      const [x, y] = toScreen(i);
      ctx.beginPath();
      ctx.arc(x, y, radius(i) + 3, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (sel >= 0 && state.visible[sel]) {
      const [x, y] = toScreen(sel);
      ctx.lineWidth = 3;
      ctx.strokeStyle = "#d62728";
      ctx.beginPath();
      ctx.arc(x, y, radius(sel) + 4, 0, 2 * Math.PI);
      ctx.stroke();
    }
    drawLabels(w, h);
    canvas.dataset.drawnNodes = String(drawn);
  }

  function drawLabels(w, h) {
    // The selection and its neighbours first, then the best-connected nodes; a label that
    // would overlap one already drawn is skipped, so labels stay readable in dense parts.
    const wanted = [];
    if (state.selected >= 0) {
      wanted.push(state.selected);
      for (const [j] of neighbours[state.selected]) wanted.push(j);
    }
    let budget = Math.round(15 * Math.sqrt(state.scale / state.fitScale));
    for (const i of byDegree) {
      if (budget <= 0) break;
      if (state.visible[i]) { wanted.push(i); budget--; }
    }
    ctx.font = "12px system-ui, sans-serif";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
    ctx.fillStyle = "#222";
    const placed = [];
    for (const i of new Set(wanted)) {
      if (!state.visible[i]) continue;
      const [x, y] = toScreen(i);
      if (x < 0 || y < 0 || x > w || y > h) continue;
      let text = nodes[i].label;
      if (text.length > 48) text = text.slice(0, 47) + "…";
      const width = ctx.measureText(text).width;
      // Near the right edge the label goes on the node's left, so it is not cut off.
      const left = x + radius(i) + 3 + width > w ? x - radius(i) - 3 - width : x + radius(i) + 3;
      const box = [left, y - 8, width, 16];
      const clash = placed.some(([bx, by, bw, bh]) =>
        box[0] < bx + bw && bx < box[0] + box[2] && box[1] < by + bh && by < box[1] + box[3]);
      if (clash) continue;
      placed.push(box);
      ctx.strokeText(text, box[0], y + 4);
      ctx.fillText(text, box[0], y + 4);
    }
  }

  // ---- details -------------------------------------------------------------------------
  function communityLabel(c) {
    return c >= 0 && c < communities.length ? communities[c] : null;
  }

  function showDetails(i) {
    const panel = $("details");
    panel.replaceChildren();
    if (i < 0) {
      panel.append(el("p", "Click a node or search to see its details.", "hint"));
      return;
    }
    const n = nodes[i];
    panel.append(el("h2", n.label));
    const meta = el("p", n.kind, "kind");
    const cl = communityLabel(n.community);
    if (cl !== null && n.kind !== "community") meta.textContent += ` · community ${n.community}: ${cl}`;
    panel.append(meta);
    const table = el("table");
    const rows = [["degree", n.degree], ...(n.details || [])];
    for (const [name, value] of rows) {
      const tr = el("tr");
      tr.append(el("th", name), el("td", value));
      table.append(tr);
    }
    panel.append(table);
    const links = (n.links || []).map(safeUrl).filter((u) => u !== null);
    if (links.length) {
      panel.append(el("h3", "Links"));
      const ul = el("ul");
      for (const href of links) {
        const a = el("a", href);
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        const li = el("li");
        li.append(a);
        ul.append(li);
      }
      panel.append(ul);
    }
    const near = neighbours[i].slice().sort((a, b) => nodes[b[0]].degree - nodes[a[0]].degree);
    if (near.length) {
      panel.append(el("h3", `Linked nodes (${near.length})`));
      const ul = el("ul", null, "neighbours");
      for (const [j, kind] of near.slice(0, 60)) {
        const b = el("button");
        b.type = "button";
        b.append(el("span", kind ? `${nodes[j].kind} · ${kind}` : nodes[j].kind, "kind"), el("span", nodes[j].label));
        b.addEventListener("click", () => select(j, true));
        const li = el("li");
        li.append(b);
        ul.append(li);
      }
      panel.append(ul);
    }
  }

  function select(i, centre) {
    state.selected = i;
    if (i >= 0 && !state.visible[i]) {
      // A hidden node was asked for: show it by clearing the filters that hide it.
      state.hiddenKinds.delete(nodes[i].kind);
      state.topic = -1;
      state.community = -1;
      syncControls();
      applyFilters();
    }
    if (i >= 0 && centre) {
      const [w, h] = size();
      state.ox = w / 2 - nodes[i].x * state.scale;
      state.oy = h / 2 - nodes[i].y * state.scale;
    }
    showDetails(i);
    draw();
  }

  // ---- search --------------------------------------------------------------------------
  function search(query) {
    const q = query.trim().toLowerCase();
    const list = $("results");
    list.replaceChildren();
    state.matches = new Set();
    if (q) {
      const found = [];
      nodes.forEach((n, i) => {
        if (n.label.toLowerCase().includes(q) || n.key.toLowerCase().includes(q)) found.push(i);
      });
      // Whole-label matches first, then labels starting with the query, then the rest;
      // the best-connected first within each.
      const rank = (i) => {
        const label = nodes[i].label.toLowerCase();
        return label === q ? 0 : label.startsWith(q) ? 1 : 2;
      };
      found.sort((a, b) => rank(a) - rank(b) || nodes[b].degree - nodes[a].degree ||
        nodes[a].label.localeCompare(nodes[b].label));
      state.matches = new Set(found.slice(0, 200));
      for (const i of found.slice(0, MAX_RESULTS)) {
        const b = el("button");
        b.type = "button";
        b.append(el("span", nodes[i].kind, "kind"), el("span", nodes[i].label));
        b.addEventListener("click", () => select(i, true));
        const li = el("li");
        li.append(b);
        list.append(li);
      }
      if (!found.length) list.append(el("li", "No match.", "hint"));
      else if (found.length > MAX_RESULTS) list.append(el("li", `… ${found.length - MAX_RESULTS} more`, "hint"));
    }
    draw();
    return [...state.matches];
  }

  // ---- controls ------------------------------------------------------------------------
  function legend() {
    const box = $("legend");
    box.replaceChildren();
    const entries = [];
    if (state.colourBy === "community") {
      communities.slice(0, PALETTE.length).forEach((label, c) => entries.push([PALETTE[c], `${c}: ${label}`]));
      if (communities.length > PALETTE.length || nodes.some((n) => n.community < 0)) entries.push([OTHER, "other / none"]);
    } else {
      for (const kind of kinds) entries.push([KIND_COLOURS[kind] || OTHER, kind]);
    }
    for (const [c, text] of entries) {
      const row = el("div");
      const sw = el("span", null, "swatch");
      sw.style.background = c;
      row.append(sw, el("span", text));
      row.title = text;
      box.append(row);
    }
  }

  function syncControls() {
    $("topic").value = String(state.topic);
    $("community").value = String(state.community);
    for (const box of $("kinds").querySelectorAll("input")) box.checked = !state.hiddenKinds.has(box.value);
  }

  function buildControls() {
    $("title").textContent = data.title || "newsgraph";
    $("note").textContent = data.note || "";
    const kindBox = $("kinds");
    for (const kind of kinds) {
      const label = el("label");
      const box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = kind;
      box.addEventListener("change", () => {
        if (box.checked) state.hiddenKinds.delete(kind); else state.hiddenKinds.add(kind);
        applyFilters();
        draw();
      });
      const count = nodes.filter((n) => n.kind === kind).length;
      label.append(box, el("span", `${kind} (${count})`));
      kindBox.append(label);
    }
    const topicSelect = $("topic");
    topicSelect.append(new Option("all topics", "-1"));
    topics.forEach((name, t) => topicSelect.append(new Option(name, String(t))));
    topicSelect.disabled = topics.length === 0;
    topicSelect.addEventListener("change", () => { state.topic = Number(topicSelect.value); applyFilters(); fit(); draw(); });
    const communitySelect = $("community");
    communitySelect.append(new Option("all communities", "-1"));
    communities.forEach((name, c) => communitySelect.append(new Option(`${c}: ${name}`, String(c))));
    communitySelect.disabled = communities.length === 0;
    communitySelect.addEventListener("change", () => {
      state.community = Number(communitySelect.value); applyFilters(); fit(); draw();
    });
    const colourSelect = $("colour-by");
    colourSelect.value = state.colourBy;
    colourSelect.addEventListener("change", () => { state.colourBy = colourSelect.value; legend(); draw(); });
    $("fit").addEventListener("click", () => { fit(); draw(); });
    const input = $("search");
    input.addEventListener("input", () => search(input.value));
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      const first = search(input.value)[0];
      if (first !== undefined) select(first, true);
    });
  }

  function nodeAt(px, py) {
    let best = -1;
    let bestDistance = Infinity;
    for (let i = 0; i < nodes.length; i++) {
      if (!state.visible[i]) continue;
      const [x, y] = toScreen(i);
      const d = Math.hypot(x - px, y - py);
      if (d <= radius(i) + 3 && d < bestDistance) { best = i; bestDistance = d; }
    }
    return best;
  }

  function pointer() {
    let drag = null;
    canvas.addEventListener("mousedown", (event) => {
      drag = { x: event.clientX, y: event.clientY, ox: state.ox, oy: state.oy, moved: false };
      canvas.classList.add("dragging");
    });
    window.addEventListener("mousemove", (event) => {
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) { state.ox = drag.ox + dx; state.oy = drag.oy + dy; draw(); }
    });
    window.addEventListener("mouseup", (event) => {
      if (!drag) return;
      const wasClick = !drag.moved;
      drag = null;
      canvas.classList.remove("dragging");
      if (!wasClick) return;
      const rect = canvas.getBoundingClientRect();
      select(nodeAt(event.clientX - rect.left, event.clientY - rect.top), false);
    });
    canvas.addEventListener("wheel", (event) => {
      event.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const px = event.clientX - rect.left;
      const py = event.clientY - rect.top;
      const factor = Math.exp(-event.deltaY * 0.0015);
      const scale = Math.min(state.fitScale * 60, Math.max(state.fitScale * 0.2, state.scale * factor));
      state.ox = px - ((px - state.ox) * scale) / state.scale;
      state.oy = py - ((py - state.oy) * scale) / state.scale;
      state.scale = scale;
      draw();
    }, { passive: false });
    window.addEventListener("resize", () => { resize(); fit(); draw(); });
  }

  // A small handle for tests and for people at the browser console.
  window.newsgraphViewer = Object.freeze({
    nodeCount: nodes.length,
    select(key) { const i = keyIndex.get(key); if (i !== undefined) select(i, true); return i !== undefined; },
    search(query) { $("search").value = query; return search(query).map((i) => nodes[i].key); },
    screenPosition(key) {
      const i = keyIndex.get(key);
      if (i === undefined) return null;
      const rect = canvas.getBoundingClientRect();
      const [x, y] = toScreen(i);
      return { x: rect.left + x, y: rect.top + y };
    },
  });

  buildControls();
  applyFilters();
  legend();
  pointer();
  resize();
  fit();
  showDetails(-1);
  draw();
  document.documentElement.dataset.viewer = "ready";
})();
