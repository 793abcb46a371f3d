// A cube view built only from the Slicer endpoints, as a Cubes client would use them:
// /version and /info to connect, /cubes, the model, then /aggregate with drilldown=<dim>
// (no level: the server goes one level below the cut). Clicking a member builds the next
// cut from the keys of every level carried by its cell (drill-through).
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
};
const get = async (path, params) => {
  const response = await fetch(params ? `${path}?${new URLSearchParams(params)}` : path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error.message);
  return body;
};

let model = null;
let path = [];  // keys from the top of the hierarchy down to the member drilled into

function dim() { return model.dimensions.find((d) => d.name === $("dimension").value); }
function hierarchy() { const d = dim(); return d.hierarchies.find((h) => h.name === d.default_hierarchy_name); }
function level(name) { return dim().levels.find((l) => l.name === name); }
// a level names its key and label attributes by name; records are keyed by the attribute's ref
function ref(lv, attribute) { return lv.attributes.find((a) => a.name === attribute).ref; }

async function loadCube() {
  model = await get(`cube/${$("cube").value}/model`);
  $("dimension").replaceChildren(...model.dimensions.map((d) => el("option", { value: d.name }, d.label)));
  $("aggregate").replaceChildren(...model.aggregates.map((a) => el("option", { value: a.name }, a.label)));
  path = [];
  await draw();
}

async function draw() {
  const d = dim();
  const h = hierarchy();
  const params = { drilldown: `${d.name}@${h.name}`, aggregates: $("aggregate").value };
  if (path.length) params.cut = `${d.name}@${h.name}:${path.join(",")}`;
  const result = await get(`cube/${model.name}/aggregate`, params);
  const levels = result.levels[d.name] || result.levels[`${d.name}@${h.name}`];
  const shown = level(levels[levels.length - 1]);
  const above = levels.map(level);
  const deepest = levels.length >= h.levels.length;
  const crumbs = [el("button", { type: "button", onclick: () => { path = []; draw(); } }, `All ${d.label}`)];
  for (const cut of result.cell.filter((c) => c.dimension === d.name && !c.hidden)) {
    const detail = await get(`cube/${model.name}/cell`, { cut: `${d.name}@${h.name}:${cut.path.join(",")}` });
    detail.cuts[0].details.forEach((item, i) => crumbs.push(" › ",
      el("button", { type: "button", onclick: () => { path = cut.path.slice(0, i + 1); draw(); } }, item._label)));
  }
  $("path").replaceChildren(...crumbs);
  const agg = result.aggregates[0];
  const rows = result.cells.map((cell) => {
    const keys = above.map((l) => cell[ref(l, l.key)]);
    const name = cell[ref(shown, shown.label_attribute)];
    const label = deepest ? el("span", {}, name)
      : el("button", { type: "button", "data-path": keys.join(","), onclick: () => { path = keys; draw(); } }, name);
    const value = cell[agg] === null ? "[x]" : Number(cell[agg]).toLocaleString("en-GB") + (cell.flag === "low_reliability" ? " [u]" : "");
    return el("tr", { "data-flag": cell.flag }, el("th", { scope: "row" }, label), el("td", { "data-value": cell[agg] ?? "" }, value),
      el("td", {}, cell.flag));
  });
  const total = result.summary[agg];
  $("view").replaceChildren(el("table", { class: "crosstab", "aria-label": `${agg} by ${shown.label}` },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, shown.label), el("th", { scope: "col" }, agg), el("th", { scope: "col" }, "reliability"))),
    el("tbody", {}, rows),
    el("tfoot", {}, el("tr", {}, el("th", { scope: "row" }, "Total"), el("td", { id: "total" }, total === null ? "[x]" : Number(total).toLocaleString("en-GB")), el("td", {}, result.summary.flag)))));
  document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
}

async function start() {
  const [version, info] = await Promise.all([get("version"), get("info")]);
  $("server").textContent = `Slicer API ${version.api_version}, ${info.cubes.length} cubes, authentication ${info.authentication.type}`;
  // a published cube's model is its publisher's tables, not Slicer's hierarchies: the
  // explorer shows those, this page the modelled cubes
  const cubes = (await get("cubes")).filter((c) => c.category !== "published statistics");
  $("cube").replaceChildren(...cubes.map((c) => el("option", { value: c.name }, c.label)));
  const wanted = new URLSearchParams(location.search).get("cube");
  if (wanted) $("cube").value = wanted;
  $("cube").addEventListener("change", loadCube);
  $("dimension").addEventListener("change", () => { path = []; draw(); });
  $("aggregate").addEventListener("change", draw);
  await loadCube();
}
start().catch((err) => { $("view").replaceChildren(el("p", { class: "error", role: "alert" }, err.message)); });
