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

async function api(path, signal) {
  const response = await fetch(path, signal ? { signal } : undefined);
  const body = await response.json();
  if (!response.ok) throw Object.assign(new Error(body.error.message), body.error);
  return body;
}

const state = { cube: "", measure: "", rows: "", columns: "", cuts: {}, age: "30", decile: "50",
                from: "", to: "", fallback: false, view: "table" };
let model = null;
let lastTable = null;
let yearKeys = [];  // the current data set's years, oldest first
let publishedCubes = new Set();

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
// The newest refresh wins: each one aborts the request of the one before, and a draw that
// finds a newer refresh started while it awaited leaves the page to it.
let generation = 0;
let inflight = null;
let notes = [];  // what the page changed or could not do, said once, at the next draw
// a very large, mostly withheld table takes seconds to draw: ask first
const LARGE_CELLS = 5000, LARGE_WITHHELD = 0.5;

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

async function loadModel(fromUrl = false) {
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
  const asked = { measure: state.measure, rows: state.rows, columns: state.columns };
  if (!measures().some((a) => a.name === state.measure)) state.measure = model.default_measure;
  if (!axisOptions.some(([v]) => v === state.rows)) state.rows = axisOptions.find(([v]) => v.startsWith("occupation:"))[0];
  if (state.columns && !axisOptions.some(([v]) => v === state.columns)) state.columns = "";
  const shown = (key) => (key === "measure" ? (aggregateOf(state[key]) || {}).label
    : (axisOptions.find(([v]) => v === state[key]) || [null, `no ${key}`])[1]);
  for (const key of ["measure", "rows", "columns"]) {
    if (asked[key] && asked[key] !== state[key]) {
      notes.push(`${key}=${asked[key]} is not a choice for ${model.label}; showing ${shown(key)} instead.`);
    }
  }
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
      if (fromUrl && measureParams().includes("from") && (state.from || state.to)) {
        notes.push(`from=${state.from} to=${state.to} is not a period of ${model.label} (years ${yearKeys[0]}–${yearKeys[yearKeys.length - 1]}, from before to); showing ${defaultFrom} to ${defaultTo} instead.`);
      }
      state.from = defaultFrom;
      state.to = defaultTo;
    }
    orderYears("from");
  } else {
    yearKeys = [];
  }
  await fillCutLevels();
}

function timeDimension() { return model.dimensions.find((d) => d.role === "time"); }
function isChange(name) { const a = aggregateOf(name); return Boolean(a && a.parameters.includes("from")); }

// a change between two years cannot have years on an axis: move the axis off them, and say so
function checkChoices() {
  const time = timeDimension();
  if (!time || !isChange(state.measure)) return;
  for (const axis of ["rows", "columns"]) {
    if (!state[axis] || state[axis].split(":")[0] !== time.name) continue;
    const name = axis === "rows" ? "Rows" : "Columns";
    const was = `${time.label} — ${levelLabel(time, state[axis].split(":")[1])}`;
    const other = [...$("rows").options].find((o) => !o.value.startsWith(`${time.name}:`));
    if (axis === "columns") state.columns = ""; else state.rows = other.value;
    notes.push(`${name} = ${was} cannot show ${aggregateOf(state.measure).label}, a change between two years; `
      + `${axis === "columns" ? "columns cleared" : "rows set to " + other.text}. Choose the years with From and To.`);
  }
}

function syncControls() {
  $("cube").value = state.cube;
  $("measure").value = state.measure;
  $("rows").value = state.rows;
  $("columns").value = state.columns;
  const time = timeDimension();
  for (const axis of ["rows", "columns"]) {  // years cannot be an axis of a change measure
    for (const o of $(axis).options) {
      o.disabled = Boolean(time && isChange(state.measure) && o.value.startsWith(`${time.name}:`));
      o.title = o.disabled ? "Not with a change between two years" : "";
    }
  }
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

async function drawCuts(current) {
  const chips = [];
  for (const [d, path] of Object.entries(state.cuts)) {
    const dim = dimension(d);
    if (!dim) continue;
    const label = await pathLabel(dim, path.split(","));
    chips.push(el("span", { class: "cut" }, `${dim.label}: ${label}`,
      el("button", { type: "button", "aria-label": `Remove filter ${dim.label}`, onclick: () => { delete state.cuts[d]; refresh(); } }, "×")));
  }
  if (current()) $("cut-list").replaceChildren(...(chips.length ? chips : [el("span", { class: "source" }, "none")]));
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

async function drawCrumbs(current) {
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
  if (current()) $("crumbs").replaceChildren(...crumbs);
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
  const node = el("td", { ...attrs, style: colour ? `background-color:${colour}` : undefined,
    title: cell.filled_from ? `from ${cell.filled_from.label} (${cell.filled_from.level})` : (cell.note || "") }, fmt(cell.value));
  if (cell.flag === "low_reliability") node.append(el("span", { class: "u", title: cell.note }, "[u]"));
  return node;
}

// a member a finer filter keeps only in part: "Science ... professionals (211 only)"
function restrictedNote(t, axis, member) {
  const r = (t.restricted || []).find((x) => x.axis === axis && x.key === member.key);
  if (!r) return null;
  const keys = r.by.keys.join(", ");
  const parts = r.by.keys.map((k, i) => `${k} ${r.by.labels[i]}`).join("; ");
  return { text: r.by.invert ? ` (excluding ${keys})` : ` (${keys} only)`,
    title: `${r.by.invert ? "Excludes" : "Only"} ${levelLabel(dimension(r.dimension), r.by.level).toLowerCase()} ${parts}: the filter is finer than the ${axis}` };
}

async function headerNode(t, axis, info, member) {
  const dim = dimension(info.dimension);
  const hierarchy = hierarchyOf(dim, info.level);
  const finer = hierarchy.levels[hierarchy.levels.indexOf(info.level) + 1];
  const note = restrictedNote(t, axis, member);
  const attrs = { class: note ? "member restricted" : "member", scope: axis === "rows" ? "row" : "col", title: note ? note.title : undefined };
  const extra = note ? [el("span", { class: "restriction" }, note.text)] : [];
  if (!finer) return el("th", attrs, member.label, ...extra);
  const list = await members(info.dimension, info.level, hierarchy.name);
  const full = list.find((m) => m.key === member.key) || { ...member, path: [member.key] };
  return el("th", attrs,
    el("button", { type: "button", class: "drill", title: `Drill down to ${levelLabel(dim, finer).toLowerCase()}`,
      onclick: () => drillDown(axis, info.dimension, info.level, full) }, member.label), ...extra);
}

function yearsText(t) {
  const y = t.data_years || [];
  if (!y.length) return "";
  if (t.parameters && t.parameters.from !== undefined && t.parameters.to !== undefined) return `${t.parameters.from} to ${t.parameters.to}`;
  if (y.length === 1) return String(y[0]);
  const consecutive = y.every((v, i) => i === 0 || v === y[i - 1] + 1);
  return consecutive ? `${y[0]}–${y[y.length - 1]}` : y.join(", ");
}

// what to change when a table has nothing to show: a coarser level, a filter to drop, filling
function guidance(t) {
  const interior = t.cells.flat();
  if (!interior.length || !interior.every((c) => c.flag === "suppressed")) return null;
  const choices = [];
  for (const axis of ["rows", "columns"]) {
    if (!state[axis]) continue;
    const [dim, level] = splitAxis(state[axis]);
    const coarser = hierarchyOf(dim, level).levels[hierarchyOf(dim, level).levels.indexOf(level) - 1];
    if (coarser) {
      choices.push(el("button", { type: "button", class: "coarser", onclick: () => goUp(dim.name, coarser) },
        `Show ${dim.label} by ${levelLabel(dim, coarser).toLowerCase()}`));
    }
  }
  for (const d of Object.keys(state.cuts)) {
    const dim = dimension(d);
    if (!dim) continue;
    choices.push(el("button", { type: "button", class: "drop-cut", onclick: () => { delete state.cuts[d]; refresh(); } },
      `Drop the ${dim.label} filter`));
  }
  if (!state.fallback) {
    choices.push(el("button", { type: "button", class: "fill", onclick: () => { state.fallback = true; refresh(); } },
      "Fill from a broader group"));
  }
  const filled = state.fallback
    ? " Filling from a broader group found no published figure either: the broader groups are withheld too under these filters."
    : "";
  return el("div", { class: "guidance", role: "note" },
    el("p", {}, `Every cell of this table is withheld: each has fewer than ${t.policy.suppress_below.toLocaleString("en-GB")} jobs behind it.${filled} To see figures:`),
    el("p", {}, ...choices.flatMap((c, i) => (i ? [" ", c] : [c]))));
}

function largeWarning(t, current) {
  const interior = t.cells.flat();
  const withheld = interior.filter((c) => c.flag === "suppressed").length;
  if (interior.length < LARGE_CELLS || withheld / interior.length < LARGE_WITHHELD) return null;
  const [dim, level] = splitAxis(state.rows);
  const h = hierarchyOf(dim, level);
  const coarser = h.levels[h.levels.indexOf(level) - 1];
  const draw = el("button", { type: "button", class: "draw-anyway", onclick: async () => {
    $("status").textContent = "Drawing…";
    await new Promise((r) => setTimeout(r, 0));
    await show(t, current, true);
  } }, "Draw it anyway");
  const up = coarser ? el("button", { type: "button", class: "coarser", onclick: () => goUp(dim.name, coarser) },
    `Show ${levelLabel(dim, coarser).toLowerCase()} instead`) : null;
  return el("div", { class: "guidance large", role: "alert" },
    el("p", {}, `This table has ${interior.length.toLocaleString("en-GB")} cells and ${Math.round(100 * withheld / interior.length)}% of them are withheld; drawing it may take several seconds.`),
    el("p", {}, ...[up, up ? " " : null, draw].filter(Boolean)));
}

async function drawTable(t, current) {
  const columns = t.columns ? t.columns.members : [{ key: "value", label: t.measure.label }];
  const interior = t.cells.flat().map((c) => c.value);
  const colour = heat(interior);
  const head = el("tr", {}, el("th", { scope: "col" }, t.rows.label));
  for (const m of columns) head.append(t.columns ? await headerNode(t, "columns", t.columns, m) : el("th", { scope: "col" }, m.label));
  if (t.row_totals) head.append(el("th", { scope: "col", class: "total" }, "Total"));
  const body = el("tbody");
  for (let i = 0; i < t.rows.members.length; i += 1) {
    const tr = el("tr", {}, await headerNode(t, "rows", t.rows, t.rows.members[i]));
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
  if (!current()) return false;
  const years = yearsText(t);
  const caption = el("caption", {}, `${t.measure.label} by ${t.rows.label.toLowerCase()}${t.columns ? ` and ${t.columns.label.toLowerCase()}` : ""}${years ? `, ${years}` : ""}`);
  $("table-view").replaceChildren(...[guidance(t), el("table", { class: "crosstab", "aria-label": `${t.measure.label} by ${t.rows.label}` }, caption, el("thead", {}, head), body)].filter(Boolean));
  return true;
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

// the value axis' title: the measure's label, which names its unit, or the weight's unit
function valueAxisTitle(t) {
  return /\(.*\)$/.test(t.measure.label) || t.measure.name !== t.policy.weight ? t.measure.label : `${t.measure.label} (jobs)`;
}

async function drawChart(t) {
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
  const time = timeDimension();
  const lines = Boolean(t.columns && time && t.columns.dimension === time.name);  // every year on the x axis
  const kinds = new Map();  // year -> history | projection, to mark where projections start
  if (lines) for (const y of await members(time.name, t.columns.level)) kinds.set(y.key, (y.attributes || {}).kind);
  const allRows = t.rows.members;
  const allSeries = t.columns ? t.columns.members : [{ label: t.measure.label }];
  const rows = allRows.slice(0, lines ? CHART_SERIES : CHART_ROWS);
  const series = lines ? allSeries : allSeries.slice(0, CHART_SERIES);
  const cellAt = (i, j) => (t.columns ? t.cells[i][j] : t.cells[i][0]);
  const value = (i, j) => cellAt(i, j).value;
  const low = (i, j) => cellAt(i, j).flag === "low_reliability";
  const values = rows.flatMap((_, i) => series.map((_, j) => value(i, j))).filter((v) => typeof v === "number");
  const axis = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const tickWidth = Math.max(...axis.ticks.map((v) => axis.text(v).length)) * CHAR_PX;
  const width = 820, height = 380, bottom = lines ? 40 : 130, top = 12, right = 14;
  const left = Math.max(44, Math.ceil(tickWidth + 14)) + 18;  // room for the axis title
  const plotH = height - bottom - top, plotW = width - left - right;
  const y = (v) => top + plotH * (axis.hi - v) / (axis.hi - axis.lo);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", class: "chart",
    "aria-label": `${t.measure.label} chart` });
  const defs = svg("defs");  // the hatching of low-reliability values, as in the table and legend
  const hatch = svg("pattern", { id: "hatch-u", width: 5, height: 5, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
  hatch.append(svg("rect", { width: 2, height: 5, fill: "#e9c46a" }));
  defs.append(hatch);
  chart.append(defs);
  const yTitle = valueAxisTitle(t);
  chart.append(svg("text", { class: "axis-title", x: 12, y: top + plotH / 2, "text-anchor": "middle",
    transform: `rotate(-90 12 ${top + plotH / 2})` }, yTitle));
  for (const v of axis.ticks) {
    chart.append(svg("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: v === 0 ? "#9a9a9a" : "#e3e3e3" }));
    chart.append(svg("text", { class: "tick", x: left - 6, y: y(v) + 4, "text-anchor": "end", "data-value": v }, axis.text(v)));
  }
  if (lines) {
    const xs = series.map((_, j) => left + plotW * (series.length > 1 ? j / (series.length - 1) : 0.5));
    const firstProjection = series.findIndex((s) => kinds.get(s.key) === "projection");
    if (firstProjection > 0) {  // a dashed rule where projections start; projected lines dashed
      const x = (xs[firstProjection - 1] + xs[firstProjection]) / 2;
      chart.append(svg("line", { class: "projection-start", x1: x, x2: x, y1: top, y2: top + plotH, stroke: "#555", "stroke-dasharray": "4 3" }));
      chart.append(svg("text", { x: x - 4, y: top + 10, "text-anchor": "end", class: "era" }, "history"));
      chart.append(svg("text", { x: x + 4, y: top + 10, "text-anchor": "start", class: "era" }, "projection"));
    }
    const split = firstProjection > 0 ? firstProjection - 1 : series.length;  // the last history year joins both parts
    rows.forEach((r, i) => {
      const part = (from, to, dashed) => {
        let d = "";
        for (let j = from; j <= to && j < series.length; j += 1) {
          const v = value(i, j);
          if (typeof v === "number") d += `${d ? "L" : "M"}${xs[j]},${y(v)}`;
        }
        if (!d) return;
        const path = svg("path", { d, fill: "none", stroke: PALETTE[i % 8], "stroke-width": 2, "data-series": r.label,
          "stroke-dasharray": dashed ? "6 4" : "none", class: dashed ? "projected" : "history" });
        path.append(svg("title", {}, `${r.label}${dashed ? " (projection)" : ""}`));
        chart.append(path);
      };
      part(0, split, false);
      if (split < series.length) part(split, series.length - 1, true);
      series.forEach((s, j) => {  // [u]: an open, hatched marker
        const v = value(i, j);
        if (typeof v !== "number" || !low(i, j)) return;
        const dot = svg("circle", { cx: xs[j], cy: y(v), r: 4, fill: "url(#hatch-u)", stroke: PALETTE[i % 8], class: "u-mark" });
        dot.append(svg("title", {}, `${r.label}, ${s.label}: ${fmt(v)} [u] low reliability`));
        chart.append(dot);
      });
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
        const box = { x, y: Math.min(y(v), y(0)), width: bar - 1, height: Math.abs(y(v) - y(0)) };
        const rect = svg("rect", { ...box, fill: PALETTE[j % 8] });
        rect.append(svg("title", {}, `${r.label}, ${s.label}: ${fmt(v)}${low(i, j) ? " [u] low reliability" : ""}`));
        chart.append(rect);
        if (low(i, j)) {  // [u]: hatched over the bar, and marked above it
          chart.append(svg("rect", { ...box, fill: "url(#hatch-u)", class: "u-mark", "pointer-events": "none" }));
          chart.append(svg("text", { x: x + (bar - 1) / 2, y: Math.min(y(v), y(0)) - 2, "text-anchor": "middle", class: "u-text" }, "u"));
        }
      });
      // slanted labels end under their bar and must stay inside the chart, left and below
      const x0 = left + i * group + group / 2, y0 = height - bottom + 12;
      const room = Math.min((x0 - 4) / Math.cos(slant), (height - y0 - 6) / Math.sin(slant));
      chart.append(label({ x: x0, y: y0, "text-anchor": "end", transform: `rotate(-35 ${x0} ${y0})` }, r.label, room));
    });
  }
  const legendItems = (lines ? rows : series).map((s, k) => el("span", {}, el("i", { style: `background:${PALETTE[k % 8]}` }), s.label));
  const anyLow = rows.some((_, i) => series.some((_, j) => low(i, j) && typeof value(i, j) === "number"));
  if (anyLow) legendItems.push(el("span", { class: "u-key" }, el("i", { class: "swatch-u" }), "[u] low reliability"));
  if (lines && kinds.size && [...kinds.values()].includes("projection")) legendItems.push(el("span", {}, "dashed: projection"));
  const left_out = [];
  if (rows.length < allRows.length) left_out.push(`the first ${rows.length} of ${allRows.length} rows${lines ? " (one line each)" : ""}`);
  if (series.length < allSeries.length) left_out.push(`the first ${series.length} of ${allSeries.length} columns`);
  const note = left_out.length
    ? el("p", { class: "chart-note", role: "note" }, `Showing ${left_out.join(" and ")}. The table shows them all; add a filter to chart the others.`)
    : null;
  $("chart-view").replaceChildren(...[note, el("div", { class: "chart-legend" }, legendItems), chart,
    el("p", { class: "source" }, "Withheld cells are left out.")].filter(Boolean));
}

function rendered() { document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1); }

function drawNotes() {
  $("notes").replaceChildren(...notes.map((n) => el("p", {}, n)));
  notes = [];
}

// draw a fetched table (after asking, when it is very large and mostly withheld)
async function show(t, current, force) {
  const warning = force ? null : largeWarning(t, current);
  if (warning) {
    $("table-view").replaceChildren(warning);
    $("chart-view").replaceChildren(warning.cloneNode(true));
    $("chart-view").querySelector(".draw-anyway").addEventListener("click", () => warning.querySelector(".draw-anyway").click());
    const coarser = $("chart-view").querySelector(".coarser");
    if (coarser) coarser.addEventListener("click", () => warning.querySelector(".coarser").click());
  } else {
    if (!(await drawTable(t, current))) return;
    await drawChart(t);
  }
  if (!current()) return;
  $("status").textContent = "";
  const years = yearsText(t);
  $("source").textContent = `${years ? `Figures for ${years}. ` : ""}Source table ${t.table}, data vintage ${t.vintage}. Values rounded; cells under ${t.policy.suppress_below.toLocaleString("en-GB")} jobs are withheld.`;
  rendered();
}

async function refresh() {
  const mine = ++generation;
  const current = () => mine === generation;
  if (inflight) inflight.abort();
  const controller = new AbortController();
  inflight = controller;
  checkChoices();
  syncControls();
  writeUrl();
  drawNotes();
  const url = crosstabQuery();
  $("csv").href = crosstabQuery({ format: "csv" });
  $("csv-wide").href = crosstabQuery({ format: "csv", layout: "wide" });
  $("status").textContent = "Loading…";
  try {
    await Promise.all([drawCuts(current), drawCrumbs(current)]);
    const t = await api(url, controller.signal);
    if (!current()) return;
    lastTable = t;
    await show(t, current, false);
  } catch (err) {
    if (!current()) return;  // aborted by a newer refresh, or its answer no longer wanted
    lastTable = null;
    $("status").textContent = "";
    const choices = err.choices ? ` Valid: ${err.choices.slice(0, 20).join(", ")}` : "";
    $("table-view").replaceChildren(el("p", { class: "error", role: "alert" }, `${err.parameter ? err.parameter + ": " : ""}${err.message}.${choices}`));
    $("chart-view").replaceChildren();
    rendered();
  }
}

function bind() {
  $("cube").addEventListener("change", async () => {
    state.cube = $("cube").value;
    if (publishedCubes.has(state.cube)) { await PublishedExplorer.open(state.cube); return; }
    PublishedExplorer.close();
    state.cuts = {}; state.rows = ""; state.columns = ""; await loadModel(); refresh();
  });
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
  if (!cubes.some((c) => c.name === state.cube)) {
    const asked = state.cube;
    state.cube = cubes.some((c) => c.name === "ashe_pay") ? "ashe_pay" : cubes[0].name;
    if (asked) notes.push(`cube=${asked} is not a data set here; showing ${cubes.find((c) => c.name === state.cube).label} instead.`);
  }
  // imported publications: served as published, by explorer-published.js
  publishedCubes = new Set(cubes.filter((c) => c.category === "published statistics").map((c) => c.name));
  if (publishedCubes.has(state.cube)) {
    $("cube").value = state.cube;
    await PublishedExplorer.open(state.cube);
    document.body.dataset.ready = "true";
    return;
  }
  await loadModel(true);
  await refresh();
  document.body.dataset.ready = "true";
}

start().catch((err) => { $("table-view").replaceChildren(el("p", { class: "error", role: "alert" }, `Cannot reach the API: ${err.message}`)); });
