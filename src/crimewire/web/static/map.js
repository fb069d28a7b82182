// The offline incident map: Natural Earth boundaries shipped with crimewire, drawn as SVG.
// Incidents are drawn at the precision they have: a town as a point sized by its count, a
// region-level incident as its region's polygon, a country-level one as the country.
// Everything read from the data is put in the page as text (textContent), never as markup.
"use strict";

(() => {
  const container = document.getElementById("map");
  if (!container) return;
  const info = document.getElementById("map-info");
  const status = document.getElementById("map-status");
  const filters = JSON.parse(container.dataset.filters || "{}");

  const { el, html } = window.crimewireDom;
  const setStatus = (text) => { if (status) status.textContent = text; };

  // Equirectangular projection, x stretched by cos(latitude of the data's centre).
  let kx = 1;
  const project = (lon, lat) => [lon * kx, -lat];

  function ringPath(ring) {
    let d = "";
    ring.forEach(([lon, lat], i) => {
      const [x, y] = project(lon, lat);
      d += (i ? "L" : "M") + x.toFixed(3) + " " + y.toFixed(3);
    });
    return d + "Z";
  }
  function geometryPath(geometry) {
    if (!geometry) return "";
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates]
      : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    return polygons.map((poly) => poly.map(ringPath).join("")).join("");
  }
  function geometryBox(geometry) {
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    for (const poly of polygons) for (const [lon, lat] of poly[0]) extend(box, lon, lat);
    return box;
  }
  function extend(box, lon, lat) {
    box[0] = Math.min(box[0], lon); box[1] = Math.min(box[1], lat);
    box[2] = Math.max(box[2], lon); box[3] = Math.max(box[3], lat);
  }

  const fetchJSON = (url) => fetch(url, { credentials: "same-origin" }).then((r) => {
    if (!r.ok) throw new Error(url + ": HTTP " + r.status);
    return r.json();
  });

  function showIncidents(title, items) {
    if (!info) return;
    info.replaceChildren();
    html("strong", title, info);
    html("span", " · " + items.length + (items.length === 1 ? " incident" : " incidents"), info, { class: "muted" });
    const list = html("ul", null, info);
    for (const p of items.slice(0, 200)) {
      const li = html("li", null, list);
      const path = p.kind === "incident" ? "/incidents/" : "/events/";
      html("a", p.type.replace(/_/g, " "), li, { href: path + encodeURIComponent(p.id) });
      const bits = [p.date || "no date", p.count !== null && p.count !== undefined ? "count " + p.count : "", p.organizations, p.places]
        .filter(Boolean).join(" · ");
      html("span", " " + bits, li, { class: "muted" });
    }
  }

  function countOf(p) { return p.count && p.count > 0 ? p.count : 1; }

  async function draw() {
    const query = new URLSearchParams(filters);
    query.set("limit", "2000");
    const [data, world, index] = await Promise.all([
      fetchJSON("/api/map?" + query.toString()),
      fetchJSON("/static/geo/countries.json"),
      fetchJSON("/static/geo/admin1/index.json"),
    ]);
    const features = data.features;
    const points = new Map();
    const regions = new Map();
    const countries = new Map();
    for (const f of features) {
      const p = f.properties;
      if (f.geometry && f.geometry.type === "Point") {
        const [lon, lat] = f.geometry.coordinates;
        const key = lon.toFixed(3) + "," + lat.toFixed(3);
        if (!points.has(key)) points.set(key, { lon, lat, label: p.place || "", items: [] });
        points.get(key).items.push(p);
      } else if (p.location_kind === "region" && p.region) {
        if (!regions.has(p.region)) regions.set(p.region, []);
        regions.get(p.region).push(p);
      } else if (p.country) {
        if (!countries.has(p.country)) countries.set(p.country, []);
        countries.get(p.country).push(p);
      }
    }
    // Region polygons: one boundary file per country, only for countries that need one.
    const known = new Set(index);
    const needed = [...new Set([...regions.keys()].map((code) => code.split("-")[0]))].filter((c) => known.has(c));
    const files = await Promise.all(needed.map((c) => fetchJSON("/static/geo/admin1/" + c + ".json")));
    const regionShapes = new Map();
    for (const fc of files) for (const f of fc.features) regionShapes.set(f.properties.code, f);
    for (const [code, items] of [...regions]) {
      if (!regionShapes.has(code)) {  // no boundary for this code: draw it at country level
        regions.delete(code);
        const country = code.split("-")[0];
        countries.set(country, (countries.get(country) || []).concat(items));
      }
    }
    const countryShapes = new Map();
    for (const f of world.features) if (f.properties.iso) countryShapes.set(f.properties.iso, f);

    // Fit the view to what is drawn (or the whole world when nothing is).
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    for (const pt of points.values()) extend(box, pt.lon, pt.lat);
    for (const code of regions.keys()) { const b = geometryBox(regionShapes.get(code).geometry); extend(box, b[0], b[1]); extend(box, b[2], b[3]); }
    for (const code of countries.keys()) {
      const shape = countryShapes.get(code);
      if (shape) { const b = geometryBox(shape.geometry); extend(box, b[0], b[1]); extend(box, b[2], b[3]); }
    }
    if (!isFinite(box[0])) { box[0] = -170; box[1] = -58; box[2] = 180; box[3] = 80; }
    kx = Math.max(0.2, Math.cos(((box[1] + box[3]) / 2) * Math.PI / 180));

    const svg = el("svg", { role: "img", "aria-label": "map of incidents", preserveAspectRatio: "xMidYMid meet" });
    const base = el("g", { class: "countries" }, svg);
    for (const f of world.features) {
      const path = el("path", { d: geometryPath(f.geometry), class: "country" }, base);
      el("title", {}, path).textContent = f.properties.name;
    }
    const areaLayer = el("g", { class: "areas" }, svg);
    for (const [code, items] of countries) {
      const shape = countryShapes.get(code);
      if (!shape) continue;
      const path = el("path", { d: geometryPath(shape.geometry), class: "country-hit", "data-code": code }, areaLayer);
      el("title", {}, path).textContent = shape.properties.name + ": " + items.length + " country-level";
      path.addEventListener("click", () => showIncidents(shape.properties.name + " (country-level)", items));
    }
    for (const [code, items] of regions) {
      const shape = regionShapes.get(code);
      const path = el("path", { d: geometryPath(shape.geometry), class: "region", "data-code": code }, areaLayer);
      el("title", {}, path).textContent = shape.properties.name + ": " + items.length + " region-level";
      path.addEventListener("click", () => showIncidents(shape.properties.name + " (region-level)", items));
    }
    const pointLayer = el("g", { class: "points" }, svg);
    const circles = [];
    const sorted = [...points.values()].sort((a, b) => b.items.reduce((s, p) => s + countOf(p), 0) - a.items.reduce((s, p) => s + countOf(p), 0));
    for (const pt of sorted) {
      const total = pt.items.reduce((s, p) => s + countOf(p), 0);
      const [x, y] = project(pt.lon, pt.lat);
      const c = el("circle", { cx: x, cy: y, r: 1, class: "point" }, pointLayer);
      c.dataset.px = String(4 + 2.2 * Math.sqrt(total));
      el("title", {}, c).textContent = pt.label + ": " + pt.items.length + " incidents, count " + total;
      c.addEventListener("click", () => showIncidents(pt.label, pt.items));
      circles.push(c);
    }
    svg.dataset.points = String(points.size);
    svg.dataset.regions = String(regions.size);
    svg.dataset.countries = String(countries.size);
    container.replaceChildren(svg);

    // View box: pan by dragging, zoom by wheel or buttons; circles keep their size on screen.
    const pad = 2;
    let [x0, y0] = project(box[0], box[3]);
    let [x1, y1] = project(box[2], box[1]);
    let view = { x: x0 - pad, y: y0 - pad, w: Math.max(x1 - x0 + 2 * pad, 4), h: Math.max(y1 - y0 + 2 * pad, 3) };
    const apply = () => {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map((v) => v.toFixed(4)).join(" "));
      const unit = Math.max(view.w / (container.clientWidth || 800), view.h / (container.clientHeight || 500));
      for (const c of circles) c.setAttribute("r", (Number(c.dataset.px) * unit).toFixed(4));
    };
    const zoom = (factor, cx = view.x + view.w / 2, cy = view.y + view.h / 2) => {
      view = { x: cx - (cx - view.x) * factor, y: cy - (cy - view.y) * factor, w: view.w * factor, h: view.h * factor };
      apply();
    };
    apply();
    svg.addEventListener("wheel", (ev) => {
      ev.preventDefault();
      const r = svg.getBoundingClientRect();
      const cx = view.x + ((ev.clientX - r.left) / r.width) * view.w;
      const cy = view.y + ((ev.clientY - r.top) / r.height) * view.h;
      zoom(ev.deltaY > 0 ? 1.25 : 0.8, cx, cy);
    }, { passive: false });
    let drag = null;
    svg.addEventListener("pointerdown", (ev) => { drag = { x: ev.clientX, y: ev.clientY, view: { ...view } }; });
    window.addEventListener("pointerup", () => { drag = null; });
    svg.addEventListener("pointermove", (ev) => {
      if (!drag) return;
      const r = svg.getBoundingClientRect();
      const scale = Math.max(view.w / r.width, view.h / r.height);
      view = { ...view, x: drag.view.x - (ev.clientX - drag.x) * scale, y: drag.view.y - (ev.clientY - drag.y) * scale };
      apply();
    });
    const controls = html("div", null, container, { class: "controls" });
    html("button", "+", controls, { type: "button", title: "zoom in" }).addEventListener("click", () => zoom(0.7));
    html("button", "−", controls, { type: "button", title: "zoom out" }).addEventListener("click", () => zoom(1.4));
    window.addEventListener("resize", apply);

    const drawn = features.length;
    const more = data.total > drawn ? " (the newest " + drawn + " of " + data.total + ")" : "";
    setStatus(drawn + " incidents" + more + ": " + points.size + " places, " + regions.size + " regions, " + countries.size + " countries");
    container.dataset.ready = "1";
  }

  draw().catch((err) => {
    setStatus("could not draw the map: " + err.message);
    container.dataset.ready = "error";
  });
})();
