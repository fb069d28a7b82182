// The network of organizations, places and agencies: a small force layout drawn as SVG.
// Labels and names come from the data and are set as text (textContent) only.
"use strict";

(() => {
  const container = document.getElementById("network");
  if (!container) return;
  const info = document.getElementById("net-info");
  const status = document.getElementById("net-status");
  const filters = JSON.parse(container.dataset.filters || "{}");

  const { el, html } = window.crimewireDom;
  const LABELS = { faction_of: "faction of", active_in: "active in", targeted_by: "targeted by" };

  // Force layout (Fruchterman-Reingold): repulsion k^2/d between all nodes (O(n^2), fine for a
  // few hundred), attraction d^2/k along links, and a pull to the centre growing with the
  // distance. With pull g and n nodes the cloud settles at a radius of about k * sqrt(n / g),
  // i.e. 0.44 * sqrt(width * height) with g = 0.4, whatever n is: it fills the frame without piling on its edges.
  function layout(nodes, links, width, height, iterations) {
    const n = nodes.length;
    const area = width * height;
    const k = Math.sqrt(area / Math.max(n, 1)) * 0.28;
    nodes.forEach((node, i) => {
      const angle = (2 * Math.PI * i) / Math.max(n, 1);
      const radius = Math.min(width, height) * 0.35 * (0.5 + ((i * 7919) % 100) / 200);
      node.x = width / 2 + radius * Math.cos(angle);
      node.y = height / 2 + radius * Math.sin(angle);
    });
    let t = Math.min(width, height) / 8;
    for (let it = 0; it < iterations; it++) {
      for (const a of nodes) { a.dx = 0; a.dy = 0; }
      for (let i = 0; i < n; i++) {
        const a = nodes[i];
        for (let j = i + 1; j < n; j++) {
          const b = nodes[j];
          let dx = a.x - b.x, dy = a.y - b.y;
          let d2 = dx * dx + dy * dy;
          if (d2 < 0.01) { dx = Math.random() - 0.5; dy = Math.random() - 0.5; d2 = 0.5; }
          const f = (k * k) / d2;
          a.dx += dx * f; a.dy += dy * f; b.dx -= dx * f; b.dy -= dy * f;
        }
      }
      for (const l of links) {
        const dx = l.s.x - l.t.x, dy = l.s.y - l.t.y;
        const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
        const f = (d / k) * (1 + Math.log(1 + l.weight) * 0.3);
        l.s.dx -= dx * f; l.s.dy -= dy * f;
        l.t.dx += dx * f; l.t.dy += dy * f;
      }
      for (const a of nodes) {
        a.dx += (width / 2 - a.x) * 0.4;
        a.dy += (height / 2 - a.y) * 0.4;
        const d = Math.sqrt(a.dx * a.dx + a.dy * a.dy) || 1;
        a.x += (a.dx / d) * Math.min(d, t);
        a.y += (a.dy / d) * Math.min(d, t);
        a.x = Math.max(20, Math.min(width - 20, a.x));
        a.y = Math.max(20, Math.min(height - 20, a.y));
      }
      t *= 0.97;
    }
  }

  async function draw() {
    const query = new URLSearchParams(filters);
    const r = await fetch("/api/network?" + query.toString(), { credentials: "same-origin" });
    if (!r.ok) throw new Error("HTTP " + r.status);
    const graph = await r.json();
    const width = container.clientWidth || 900;
    const height = container.clientHeight || 560;
    const byId = new Map(graph.nodes.map((node) => [node.id, { ...node }]));
    const nodes = [...byId.values()];
    const links = graph.links.filter((l) => byId.has(l.source) && byId.has(l.target))
      .map((l) => ({ ...l, s: byId.get(l.source), t: byId.get(l.target) }));
    layout(nodes, links, width, height, nodes.length > 200 ? 150 : 300);

    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "network graph" });
    const linkLayer = el("g", { class: "links" }, svg);
    const nodeLayer = el("g", { class: "nodes" }, svg);
    const maxWeight = Math.max(1, ...nodes.map((node) => node.weight));
    for (const l of links) {
      l.line = el("line", { class: "link " + l.kind, "stroke-width": (1 + Math.log2(1 + l.weight)).toFixed(2) }, linkLayer);
      el("title", {}, l.line).textContent = l.s.label + " — " + (LABELS[l.kind] || l.kind) + " — " + l.t.label + " (" + l.weight + ")";
    }
    const neighbours = new Map(nodes.map((node) => [node.id, new Set([node.id])]));
    for (const l of links) { neighbours.get(l.s.id).add(l.t.id); neighbours.get(l.t.id).add(l.s.id); }
    for (const node of nodes) {
      node.g = el("g", { class: "node " + node.kind }, nodeLayer);
      node.r = 4 + 10 * Math.sqrt(node.weight / maxWeight);
      el("circle", { r: node.r.toFixed(2) }, node.g);
      const text = el("text", { x: (node.r + 3).toFixed(1), y: "4" }, node.g);
      text.textContent = node.label;
      el("title", {}, node.g).textContent = node.label + " (" + node.kind + ", " + node.weight + ")";
    }
    const place = () => {
      for (const node of nodes) node.g.setAttribute("transform", `translate(${node.x.toFixed(1)},${node.y.toFixed(1)})`);
      for (const l of links) {
        l.line.setAttribute("x1", l.s.x.toFixed(1)); l.line.setAttribute("y1", l.s.y.toFixed(1));
        l.line.setAttribute("x2", l.t.x.toFixed(1)); l.line.setAttribute("y2", l.t.y.toFixed(1));
      }
    };
    place();

    const select = (node) => {
      const near = node ? neighbours.get(node.id) : null;
      for (const other of nodes) other.g.classList.toggle("dim", !!near && !near.has(other.id));
      for (const l of links) l.line.classList.toggle("dim", !!node && l.s !== node && l.t !== node);
      if (!info) return;
      info.replaceChildren();
      if (!node) return;
      const title = html("strong", null, info);
      if (node.kind === "organization") {
        html("a", node.label, title, { href: "/organizations/" + encodeURIComponent(node.label) });
      } else {
        title.textContent = node.label;
      }
      html("span", " · " + node.kind + " · " + node.weight + " incidents", info, { class: "muted" });
      const list = html("ul", null, info);
      for (const l of links.filter((x) => x.s === node || x.t === node).sort((a, b) => b.weight - a.weight)) {
        const other = l.s === node ? l.t : l.s;
        const text = l.s === node ? (LABELS[l.kind] || l.kind) + " " + other.label : other.label + " " + (LABELS[l.kind] || l.kind) + " " + node.label;
        html("li", text + " (" + l.weight + ")", list);
      }
      const params = new URLSearchParams(filters);
      if (node.kind === "organization") params.set("organization", node.label);
      const p = html("p", null, info);
      html("a", "incidents", p, { href: "/incidents?" + params.toString() });
    };

    let drag = null;
    for (const node of nodes) {
      node.g.addEventListener("pointerdown", (ev) => { drag = node; ev.stopPropagation(); select(node); });
      node.g.addEventListener("dblclick", () => {
        if (node.kind === "organization") window.location.href = "/organizations/" + encodeURIComponent(node.label);
      });
    }
    svg.addEventListener("pointerdown", () => select(null));
    svg.addEventListener("pointermove", (ev) => {
      if (!drag) return;
      const r = svg.getBoundingClientRect();
      drag.x = ((ev.clientX - r.left) / r.width) * width;
      drag.y = ((ev.clientY - r.top) / r.height) * height;
      place();
    });
    window.addEventListener("pointerup", () => { drag = null; });
    for (const box of document.querySelectorAll(".kind-toggle")) {
      box.addEventListener("change", () => {
        const shown = new Set([...document.querySelectorAll(".kind-toggle")].filter((b) => b.checked).map((b) => b.value));
        for (const node of nodes) node.g.classList.toggle("hidden", !shown.has(node.kind));
        for (const l of links) l.line.classList.toggle("hidden", !shown.has(l.s.kind) || !shown.has(l.t.kind));
      });
    }
    svg.dataset.nodes = String(nodes.length);
    svg.dataset.links = String(links.length);
    container.replaceChildren(svg);
    if (status) status.textContent = nodes.length + " nodes, " + links.length + " links";
    container.dataset.ready = "1";
  }

  draw().catch((err) => {
    if (status) status.textContent = "could not draw the network: " + err.message;
    container.dataset.ready = "error";
  });
})();
