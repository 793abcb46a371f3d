// Cross-tab explorer: every view is a /crosstab request; the page state lives in the URL.
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
};
const fmt = (v) => (v === null || v === undefined ? "" : Number(v).toLocaleString("en-GB"));

async function api(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw Object.assign(new Error(body.error.message), body.error);
  return body;
}

const state = { cube: "", measure: "", rows: "", columns: "", cuts: {}, age: "30", decile: "50",
                from: "", to: "", fallback: false, view: "table" };
let model = null;
let lastTable = null;
let yearKeys = [];  // the current data set's years, oldest first

// never ask for from >= to: move the other end of the range past the one just chosen
function orderYears(changed) {
  const i = yearKeys.indexOf(state.from), j = yearKeys.indexOf(state.to);
  if (yearKeys.length < 2 || i < 0 || j < 0 || i < j) return;
  if (changed === "to") {
    if (j > 0) state.from = yearKeys[j - 1]; else { state.to = yearKeys[1]; state.from = yearKeys[0]; }
  } else if (i < yearKeys.length - 1) state.to = yearKeys[i + 1];
  else { state.from = yearKeys[yearKeys.length - 2]; state.to = yearKeys[yearKeys.length - 1]; }
}
const membersCache = new Map();

function readUrl() {
  const p = new URLSearchParams(location.search);
  for (const key of ["cube", "measure", "rows", "columns", "age", "decile", "from", "to", "view"]) {
    if (p.has(key)) state[key] = p.get(key);
  }
  state.fallback = p.get("fallback") === "true";
  state.cuts = {};
  for (const part of (p.get("cut") || "").split("|").filter(Boolean)) {
    const i = part.indexOf(":");
    if (i > 0) state.cuts[part.slice(0, i)] = part.slice(i + 1);
  }
}

function cutText() {
  return Object.entries(state.cuts).map(([d, path]) => `${d}:${path}`).join("|");
}

function writeUrl() {
  const p = new URLSearchParams();
  for (const key of ["cube", "measure", "rows", "columns"]) if (state[key]) p.set(key, state[key]);
  if (cutText()) p.set("cut", cutText());
  for (const key of measureParams()) p.set(key, state[key]);
  if (state.fallback) p.set("fallback", "true");
  if (state.view !== "table") p.set("view", state.view);
  history.replaceState(null, "", `${location.pathname}?${p}`);
}

// the cross-tab's measures (with their parameters); model.aggregates is Slicer's concrete list
function measures() { return model.info.measures; }
function aggregateOf(name) { return measures().find((a) => a.name === name); }
function measureParams() { const a = aggregateOf(state.measure); return a ? a.parameters : []; }
function dimension(name) { return model.dimensions.find((d) => d.name === name); }
function hierarchyOf(dim, level) {
  const ordered = [...dim.hierarchies].sort((a, b) => (a.name === dim.default_hierarchy_name ? -1 : b.name === dim.default_hierarchy_name ? 1 : 0));
  return ordered.find((h) => h.levels.includes(level));
}
function levelLabel(dim, level) { return (dim.levels.find((l) => l.name === level) || { label: level }).label; }
function splitAxis(text) { const [d, l] = text.split(":"); const dim = dimension(d); return [dim, l || dim.levels[dim.levels.length - 1].name]; }

async function members(dimName, level, hierarchy) {
  const key = `${state.cube}|${dimName}|${level}|${hierarchy || ""}`;
  if (!membersCache.has(key)) {
    const q = new URLSearchParams({ level });
    if (hierarchy) q.set("hierarchy", hierarchy);
    membersCache.set(key, api(`cube/${state.cube}/members/${dimName}?${q}`).then(fromSlicer));
  }
  return membersCache.get(key);
}

// Slicer member records (keyed by attribute ref, every level from the top) as key, label, path
function fromSlicer(r) {
  const dim = dimension(r.dimension);
  const h = dim.hierarchies.find((x) => x.name === r.hierarchy);
  const levels = h.levels.slice(0, r.depth).map((n) => dim.levels.find((l) => l.name === n));
  const last = levels[levels.length - 1];
  const ref = (l, name) => l.attributes.find((a) => a.name === name).ref;  // the model names, records use refs
  return r.data.map((d) => ({ key: d[ref(last, last.key)], label: String(d[ref(last, last.label_attribute)]),
    path: levels.map((l) => d[ref(l, l.key)]), attributes: Object.fromEntries(last.attributes.map((a) => [a.name, d[a.ref]])) }));
}

function option(value, text, selected) { return el("option", { value, selected: selected || undefined }, text); }

async function loadModel() {
  model = await api(`cube/${state.cube}/model`);
  const axisOptions = [];
  for (const d of model.dimensions) for (const l of d.levels) axisOptions.push([`${d.name}:${l.name}`, `${d.label} — ${l.label}`]);
  for (const axis of ["rows", "columns"]) {  // "year" means "year:year": the finest level
    const dim = state[axis] && !state[axis].includes(":") ? dimension(state[axis]) : null;
    if (dim) {
      const h = dim.hierarchies.find((x) => x.name === dim.default_hierarchy_name);
      state[axis] = `${dim.name}:${h.levels[h.levels.length - 1]}`;
    }
  }
  if (!measures().some((a) => a.name === state.measure)) state.measure = model.default_measure;
  if (!axisOptions.some(([v]) => v === state.rows)) state.rows = axisOptions.find(([v]) => v.startsWith("occupation:"))[0];
  if (state.columns && !axisOptions.some(([v]) => v === state.columns)) state.columns = "";
  $("measure").replaceChildren(...measures().map((a) => option(a.name, a.label, a.name === state.measure)));
  $("rows").replaceChildren(...axisOptions.map(([v, t]) => option(v, t, v === state.rows)));
  $("columns").replaceChildren(option("", "(none)"), ...axisOptions.map(([v, t]) => option(v, t, v === state.columns)));
  $("cut-dim").replaceChildren(...model.dimensions.map((d) => option(d.name, d.label, d.name === "occupation")));
  if (model.dimensions.some((d) => d.name === "year")) {
    const years = await members("year", "year");
    const history = years.filter((y) => (y.attributes || {}).kind === "history");
    const yearOptions = () => years.map((y) => option(y.key, y.label));
    $("from").replaceChildren(...yearOptions());
    $("to").replaceChildren(...yearOptions());
    yearKeys = years.map((y) => String(y.key));
    // defaults: from the latest history year to the last projection year; a range kept from
    // another data set (or the URL) is only kept when both years exist here and from < to
    const defaultFrom = String((history.length ? history[history.length - 1] : years[0]).key);
    const defaultTo = String(years[years.length - 1].key);
    if (!yearKeys.includes(state.from) || !yearKeys.includes(state.to) || yearKeys.indexOf(state.from) >= yearKeys.indexOf(state.to)) {
      state.from = defaultFrom;
      state.to = defaultTo;
    }
    orderYears("from");
  } else {
    yearKeys = [];
  }
  await fillCutLevels();
}

function syncControls() {
  $("cube").value = state.cube;
  $("measure").value = state.measure;
  $("rows").value = state.rows;
  $("columns").value = state.columns;
  $("fallback").checked = state.fallback;
  for (const key of ["age", "decile", "from", "to"]) $(key).value = state[key];
  for (const label of document.querySelectorAll(".param")) label.hidden = !measureParams().includes(label.dataset.param);
  $("view-table").setAttribute("aria-selected", String(state.view === "table"));
  $("view-chart").setAttribute("aria-selected", String(state.view === "chart"));
  $("table-view").hidden = state.view !== "table";
  $("chart-view").hidden = state.view !== "chart";
}

async function fillCutLevels() {
  const dim = dimension($("cut-dim").value);
  const finest = dim.levels[dim.levels.length - 1].name;  // search the most detailed level first
  $("cut-level").replaceChildren(...dim.levels.map((l) => option(l.name, l.label, l.name === finest)));
  $("cut-search").value = "";
  $("cut-results").replaceChildren();
}

async function searchCut() {
  const dim = dimension($("cut-dim").value);
  const level = $("cut-level").value;
  const text = $("cut-search").value.trim().toLowerCase();
  const all = await members(dim.name, level, hierarchyOf(dim, level).name);
  const found = all.filter((m) => !text || m.label.toLowerCase().includes(text) || String(m.key).startsWith(text)).slice(0, 50);
  $("cut-results").replaceChildren(...found.map((m) => el("li", {
    role: "option", tabindex: "0", "data-path": m.path.join(","),
    onclick: () => addCut(dim.name, m.path),
    onkeydown: (e) => { if (e.key === "Enter") addCut(dim.name, m.path); },
  }, `${m.key} ${m.label}`)));
}

function addCut(dimName, path) {
  state.cuts[dimName] = path.join(",");
  $("cut-results").replaceChildren();
  $("cut-search").value = "";
  refresh();
}

async function drawCuts() {
  const chips = [];
  for (const [d, path] of Object.entries(state.cuts)) {
    const dim = dimension(d);
    if (!dim) continue;
    const label = await pathLabel(dim, path.split(","));
    chips.push(el("span", { class: "cut" }, `${dim.label}: ${label}`,
      el("button", { type: "button", "aria-label": `Remove filter ${dim.label}`, onclick: () => { delete state.cuts[d]; refresh(); } }, "×")));
  }
  $("cut-list").replaceChildren(...(chips.length ? chips : [el("span", { class: "source" }, "none")]));
}

async function pathLabel(dim, path) {
  if (path.some((p) => p.includes(";") || p.includes("-"))) return path.join(",");
  const hierarchy = dim.hierarchies.find((h) => h.name === dim.default_hierarchy_name);
  const level = hierarchy.levels[path.length - 1];
  if (!level) return path.join(",");
  const list = await members(dim.name, level, hierarchy.name);
  const m = list.find((x) => String(x.key) === path[path.length - 1]);
  return m ? m.label : path.join(",");
}

async function drawCrumbs() {
  const crumbs = [];
  for (const axis of ["rows", "columns"]) {
    if (!state[axis]) continue;
    const [dim, level] = splitAxis(state[axis]);
    const cut = state.cuts[dim.name];
    const hierarchy = hierarchyOf(dim, level);
    if (!cut || cut.includes(";") || cut.includes("-") || hierarchy.levels.length < 2) continue;
    const path = cut.split(",");
    const items = [el("button", { type: "button", onclick: () => drillUp(axis, dim, hierarchy, 0) }, `All (${dim.label})`)];
    for (let i = 0; i < path.length; i += 1) {
      const label = await pathLabel(dim, path.slice(0, i + 1));
      items.push(" › ", i === path.length - 1 ? el("span", {}, label)
        : el("button", { type: "button", onclick: () => drillUp(axis, dim, hierarchy, i + 1) }, label));
    }
    crumbs.push(el("div", {}, `${axis === "rows" ? "Rows" : "Columns"}: `, ...items));
  }
  $("crumbs").replaceChildren(...crumbs);
}

function drillUp(axis, dim, hierarchy, depth) {
  const path = (state.cuts[dim.name] || "").split(",").slice(0, depth);
  if (depth === 0) delete state.cuts[dim.name]; else state.cuts[dim.name] = path.join(",");
  state[axis] = `${dim.name}:${hierarchy.levels[Math.min(depth, hierarchy.levels.length - 1)]}`;
  refresh();
}

function drillDown(axis, dimName, level, member) {
  const dim = dimension(dimName);
  const hierarchy = hierarchyOf(dim, level);
  const next = hierarchy.levels[hierarchy.levels.indexOf(level) + 1];
  if (!next) return;
  state.cuts[dimName] = member.path.join(",");
  state[axis] = `${dimName}:${next}`;
  refresh();
}

function goUp(dimName, level) {
  for (const axis of ["rows", "columns"]) {
    if (state[axis] && state[axis].split(":")[0] === dimName) state[axis] = `${dimName}:${level}`;
  }
  refresh();
}

function crosstabQuery(extra = {}) {
  const p = new URLSearchParams({ rows: state.rows, measure: state.measure });
  if (state.columns) p.set("columns", state.columns);
  if (cutText()) p.set("cut", cutText());
  for (const key of measureParams()) p.set(key, state[key]);
  if (state.fallback) p.set("fallback", "true");
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return `cube/${state.cube}/crosstab?${p}`;
}

function heat(values) {
  const nums = values.filter((v) => typeof v === "number");
  const lo = Math.min(...nums), hi = Math.max(...nums);
  return (v) => {
    if (typeof v !== "number" || hi === lo) return "";
    const t = (v - lo) / (hi - lo);
    const mix = (a, b) => Math.round(a + (b - a) * t);
    return `rgb(${mix(255, 111)}, ${mix(255, 168)}, ${mix(255, 220)})`;
  };
}

function cellNode(cell, total, colour) {
  const attrs = { class: [cell.flag, total ? "total" : "", cell.filled_from ? "filled" : ""].join(" ").trim() };
  if (cell.flag === "suppressed") {
    const node = el("td", { ...attrs, title: cell.reason }, el("span", { "aria-hidden": "true" }, "[x]"),
      el("span", { class: "why" }, cell.reason));
    for (const up of (cell.go_up || []).slice(0, 1)) {  // the nearest level that shows it
      const dim = dimension(up.dimension);
      node.append(el("div", {}, el("button", { type: "button", class: "up", onclick: () => goUp(up.dimension, up.level),
        title: `Show ${levelLabel(dim, up.level).toLowerCase()} instead` }, `↑ ${levelLabel(dim, up.level)}`)));
    }
    return node;
  }
  if (cell.flag === "not_applicable") return el("td", { ...attrs, title: cell.reason }, "–");
  const node = el("td", { ...attrs, style: colour ? `background:${colour}` : undefined,
    title: cell.filled_from ? `from ${cell.filled_from.label} (${cell.filled_from.level})` : (cell.note || "") }, fmt(cell.value));
  if (cell.flag === "low_reliability") node.append(el("span", { class: "u", title: cell.note }, "[u]"));
  return node;
}

async function headerNode(axis, info, member) {
  const dim = dimension(info.dimension);
  const hierarchy = hierarchyOf(dim, info.level);
  const finer = hierarchy.levels[hierarchy.levels.indexOf(info.level) + 1];
  const cls = "member";
  if (!finer) return el("th", { class: cls, scope: axis === "rows" ? "row" : "col" }, member.label);
  const list = await members(info.dimension, info.level, hierarchy.name);
  const full = list.find((m) => m.key === member.key) || { ...member, path: [member.key] };
  return el("th", { class: cls, scope: axis === "rows" ? "row" : "col" },
    el("button", { type: "button", class: "drill", title: `Drill down to ${levelLabel(dim, finer).toLowerCase()}`,
      onclick: () => drillDown(axis, info.dimension, info.level, full) }, member.label));
}

async function drawTable(t) {
  const columns = t.columns ? t.columns.members : [{ key: "value", label: t.measure.label }];
  const interior = t.cells.flat().map((c) => c.value);
  const colour = heat(interior);
  const head = el("tr", {}, el("th", { scope: "col" }, t.rows.label));
  for (const m of columns) head.append(t.columns ? await headerNode("columns", t.columns, m) : el("th", { scope: "col" }, m.label));
  if (t.row_totals) head.append(el("th", { scope: "col", class: "total" }, "Total"));
  const body = el("tbody");
  for (let i = 0; i < t.rows.members.length; i += 1) {
    const tr = el("tr", {}, await headerNode("rows", t.rows, t.rows.members[i]));
    t.cells[i].forEach((c) => tr.append(cellNode(c, false, colour(c.value))));
    if (t.row_totals) tr.append(cellNode(t.row_totals[i], true));
    body.append(tr);
  }
  if (t.column_totals || (t.grand_total && !t.columns)) {
    const tr = el("tr", {}, el("th", { scope: "row", class: "total" }, "Total"));
    (t.column_totals || []).forEach((c) => tr.append(cellNode(c, true)));
    tr.append(cellNode(t.grand_total, true));
    body.append(tr);
  }
  $("table-view").replaceChildren(el("table", { class: "crosstab", "aria-label": `${t.measure.label} by ${t.rows.label}` }, el("thead", {}, head), body));
}

const PALETTE = ["#1d5fa8", "#e07b39", "#3a9d5d", "#b84a62", "#7b5ea7", "#8c6d31", "#2aa1b3", "#6b6b6b"];
const CHART_ROWS = 15, CHART_SERIES = 8;  // bars: rows (groups) and columns (series); lines: rows

// round axis ticks: a step of 1, 2 or 5 × 10^k, and a range that starts and ends on a step
function niceTicks(min, max, target = 5) {
  if (!(max > min)) { min = Math.min(min, 0); max = min + 1; }
  const raw = (max - min) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((x) => x >= raw * 0.999);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const first = Math.floor(min / step + 1e-9), last = Math.ceil(max / step - 1e-9);
  const ticks = [];
  for (let k = first; k <= last; k += 1) ticks.push(Number((k * step).toFixed(decimals)));
  const text = (v) => v.toLocaleString("en-GB", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return { ticks, step, lo: ticks[0], hi: ticks[ticks.length - 1], text };
}

// a label shortened to about `room` px of 11px text, ending in "…" when cut (the full text goes in a title)
const CHAR_PX = 6.6;
function shorten(label, room) {
  const n = Math.max(4, Math.floor(room / CHAR_PX));
  return label.length > n ? `${label.slice(0, n - 1).trimEnd()}…` : label;
}

function drawChart(t) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs = {}, text) => {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text !== undefined) n.textContent = text;
    return n;
  };
  const label = (attrs, full, room) => {  // a text that shows its full label as a tooltip
    const shown = shorten(full, room);
    const n = svg("text", { ...attrs, "data-label": full }, shown);
    n.append(svg("title", {}, full));
    return n;
  };
  const lines = t.columns && t.columns.dimension === "year";  // every year on the x axis
  const allRows = t.rows.members;
  const allSeries = t.columns ? t.columns.members : [{ label: t.measure.label }];
  const rows = allRows.slice(0, lines ? CHART_SERIES : CHART_ROWS);
  const series = lines ? allSeries : allSeries.slice(0, CHART_SERIES);
  const value = (i, j) => (t.columns ? t.cells[i][j] : t.cells[i][0]).value;
  const values = rows.flatMap((_, i) => series.map((_, j) => value(i, j))).filter((v) => typeof v === "number");
  const axis = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const tickWidth = Math.max(...axis.ticks.map((v) => axis.text(v).length)) * CHAR_PX;
  const width = 820, height = 380, bottom = lines ? 40 : 130, top = 12, right = 14;
  const left = Math.max(44, Math.ceil(tickWidth + 14));
  const plotH = height - bottom - top, plotW = width - left - right;
  const y = (v) => top + plotH * (axis.hi - v) / (axis.hi - axis.lo);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", class: "chart",
    "aria-label": `${t.measure.label} chart` });
  for (const v of axis.ticks) {
    chart.append(svg("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: v === 0 ? "#9a9a9a" : "#e3e3e3" }));
    chart.append(svg("text", { class: "tick", x: left - 6, y: y(v) + 4, "text-anchor": "end", "data-value": v }, axis.text(v)));
  }
  if (lines) {
    const xs = series.map((_, j) => left + plotW * (series.length > 1 ? j / (series.length - 1) : 0.5));
    rows.forEach((r, i) => {
      let d = "";
      series.forEach((_, j) => { const v = value(i, j); if (typeof v === "number") d += `${d ? "L" : "M"}${xs[j]},${y(v)}`; });
      const path = svg("path", { d, fill: "none", stroke: PALETTE[i % 8], "stroke-width": 2, "data-series": r.label });
      path.append(svg("title", {}, r.label));
      chart.append(path);
    });
    const every = Math.ceil(series.length / 12);  // label at most a dozen years
    series.forEach((s, j) => {
      if (j % every === 0) chart.append(label({ x: xs[j], y: height - bottom + 16, "text-anchor": "middle" }, String(s.label), plotW / Math.min(12, series.length)));
    });
  } else {
    const group = plotW / rows.length;
    const bar = Math.max(2, (group * 0.8) / series.length);
    const slant = 35 * Math.PI / 180;
    rows.forEach((r, i) => {
      series.forEach((s, j) => {
        const v = value(i, j);
        if (typeof v !== "number") return;
        const x = left + i * group + group * 0.1 + j * bar;
        const rect = svg("rect", { x, y: Math.min(y(v), y(0)), width: bar - 1, height: Math.abs(y(v) - y(0)), fill: PALETTE[j % 8] });
        rect.append(svg("title", {}, `${r.label}, ${s.label}: ${fmt(v)}`));
        chart.append(rect);
      });
      // slanted labels end under their bar and must stay inside the chart, left and below
      const x0 = left + i * group + group / 2, y0 = height - bottom + 12;
      const room = Math.min((x0 - 4) / Math.cos(slant), (height - y0 - 6) / Math.sin(slant));
      chart.append(label({ x: x0, y: y0, "text-anchor": "end", transform: `rotate(-35 ${x0} ${y0})` }, r.label, room));
    });
  }
  const legendItems = (lines ? rows : series).map((s, k) => el("span", {}, el("i", { style: `background:${PALETTE[k % 8]}` }), s.label));
  const left_out = [];
  if (rows.length < allRows.length) left_out.push(`the first ${rows.length} of ${allRows.length} rows${lines ? " (one line each)" : ""}`);
  if (series.length < allSeries.length) left_out.push(`the first ${series.length} of ${allSeries.length} columns`);
  const note = left_out.length
    ? el("p", { class: "chart-note", role: "note" }, `Showing ${left_out.join(" and ")}. The table shows them all; add a filter to chart the others.`)
    : null;
  $("chart-view").replaceChildren(...[note, el("div", { class: "chart-legend" }, legendItems), chart,
    el("p", { class: "source" }, "Withheld cells are left out.")].filter(Boolean));
}

async function refresh() {
  syncControls();
  writeUrl();
  await Promise.all([drawCuts(), drawCrumbs()]);
  const url = crosstabQuery();
  $("csv").href = crosstabQuery({ format: "csv" });
  $("csv-wide").href = crosstabQuery({ format: "csv", layout: "wide" });
  $("status").textContent = "Loading…";
  try {
    const t = await api(url);
    lastTable = t;
    await drawTable(t);
    drawChart(t);
    $("status").textContent = "";
    const defaults = t.defaults ? ` Year ${t.defaults.year}.` : "";
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
    $("source").textContent = `Source table ${t.table}, data vintage ${t.vintage}.${defaults} Values rounded; cells under ${t.policy.suppress_below.toLocaleString("en-GB")} jobs are withheld.`;
  } catch (err) {
    lastTable = null;
    $("status").textContent = "";
    const choices = err.choices ? ` Valid: ${err.choices.slice(0, 20).join(", ")}` : "";
    $("table-view").replaceChildren(el("p", { class: "error", role: "alert" }, `${err.parameter ? err.parameter + ": " : ""}${err.message}.${choices}`));
    $("chart-view").replaceChildren();
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
  }
}

function bind() {
  $("cube").addEventListener("change", async () => { state.cube = $("cube").value; state.cuts = {}; state.rows = ""; state.columns = ""; await loadModel(); refresh(); });
  $("measure").addEventListener("change", () => { state.measure = $("measure").value; refresh(); });
  $("rows").addEventListener("change", () => { state.rows = $("rows").value; refresh(); });
  $("columns").addEventListener("change", () => { state.columns = $("columns").value; refresh(); });
  $("fallback").addEventListener("change", () => { state.fallback = $("fallback").checked; refresh(); });
  for (const key of ["age", "decile", "from", "to"]) {
    $(key).addEventListener("change", () => { state[key] = $(key).value; if (key === "from" || key === "to") orderYears(key); refresh(); });
  }
  $("cut-dim").addEventListener("change", fillCutLevels);
  $("cut-level").addEventListener("change", searchCut);
  $("cut-search").addEventListener("input", searchCut);
  $("cut-search").addEventListener("focus", searchCut);
  $("view-table").addEventListener("click", () => { state.view = "table"; syncControls(); writeUrl(); });
  $("view-chart").addEventListener("click", () => { state.view = "chart"; syncControls(); writeUrl(); });
  $("controls").addEventListener("submit", (e) => e.preventDefault());
}

async function start() {
  readUrl();
  bind();
  const cubes = await api("cubes");
  $("cube").replaceChildren(...cubes.map((c) => option(c.name, c.label)));
  if (!cubes.some((c) => c.name === state.cube)) state.cube = cubes.some((c) => c.name === "ashe_pay") ? "ashe_pay" : cubes[0].name;
  await loadModel();
  await refresh();
  document.body.dataset.ready = "true";
}

start().catch((err) => { $("table-view").replaceChildren(el("p", { class: "error", role: "alert" }, `Cannot reach the API: ${err.message}`)); });
