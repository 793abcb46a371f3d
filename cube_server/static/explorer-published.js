// Published-statistics cubes in the explorer. Their figures are served as published, so the
// page offers only the cross-classifications an imported table has (from the model's
// `tables`), shows each figure with the publisher's mark and its reason, and the table's
// provenance under it. explorer.js hands a published cube to `PublishedExplorer.open`.
"use strict";

const PublishedExplorer = (() => {
  const byId = (id) => document.getElementById(id);
  const make = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  };
  // what the modelled view shows and a published cube does not use
  const MODELLED = ["cuts", "crumbs", "legend", "table-view", "chart-view", "source", "notes"];
  const MARKS = { suppressed: "x", not_applicable: ":", nil: "-", low_reliability: "u", quality_unknown: "?", not_available: "" };
  const LABELS = { geography: "Geography", home_geography: "Home geography", occupation: "Occupation", industry: "Industry",
    qualification: "Qualification", sex: "Sex", working_pattern: "Working pattern", gender: "Gender", status: "Status", year: "Year" };
  let cube = "", model = null, generation = 0;
  const choice = { measure: "", rows: "", columns: "", edition: "", filters: {} };

  async function get(path) {
    const response = await fetch(path);
    const body = await response.json();
    if (!response.ok) throw Object.assign(new Error(body.error.message), body.error);
    return body;
  }
  function setModelledHidden(hidden) {
    for (const id of MODELLED) byId(id).hidden = hidden;
    document.querySelector(".toolbar").hidden = hidden;
    for (const label of document.querySelectorAll("#controls > label")) {
      if (!label.contains(byId("cube"))) label.hidden = hidden;
    }
    byId("published-view").hidden = !hidden;
  }
  const dimOf = (axis) => axis.split(":")[0];
  const axisLabel = (axis) => { const [d, l] = axis.split(":"); return l ? `${LABELS[d] || d} — ${l}` : (LABELS[d] || d); };
  function axesOf(t) { return [...t.levels.map((l) => `${t.dimension}:${l}`), ...t.free]; }
  // a table answers when it has the measure and every named dimension (at the asked level)
  function fits(t, axes) {
    if (!t.measures.includes(choice.measure)) return false;
    return axes.every((a) => axesOf(t).includes(a));
  }
  function editionOf(t) { return Object.entries(t.selectors).map(([k, v]) => `${k}:${v}`).join("|"); }
  // the year and release (ASHE) or area and round (Working Futures) that pick a table
  function editionLabel(t) { return Object.values(t.selectors).join(" "); }

  // the controls, each offering only what some imported table has with the other choices
  function fillControls() {
    const withMeasure = model.tables.filter((t) => t.measures.includes(choice.measure));
    const rowOptions = [...new Set(withMeasure.flatMap(axesOf))];
    if (!rowOptions.includes(choice.rows)) choice.rows = rowOptions[0];
    const colOptions = [...new Set(withMeasure.filter((t) => fits(t, [choice.rows])).flatMap(axesOf))]
      .filter((a) => dimOf(a) !== dimOf(choice.rows));
    if (!colOptions.includes(choice.columns)) choice.columns = "";
    const axes = [choice.rows, choice.columns].filter(Boolean);
    const fitting = model.tables.filter((t) => fits(t, axes));
    const editions = [...new Map(fitting.map((t) => [editionOf(t), editionLabel(t)])).entries()];
    if (!editions.some(([v]) => v === choice.edition)) choice.edition = "";
    const select = (id, options, value) => byId(id).replaceChildren(...options.map(([v, t]) => make("option", { value: v, selected: v === value }, t)));
    select("published-measure", model.measures.map((m) => [m, m.replaceAll("_", " ")]), choice.measure);
    select("published-rows", rowOptions.map((a) => [a, axisLabel(a)]), choice.rows);
    select("published-columns", [["", "(none)"], ...colOptions.map((a) => [a, axisLabel(a)])], choice.columns);
    select("published-edition", [["", "latest"], ...editions], choice.edition);
    // dimensions every fitting table has besides its rows, read at one member (the total by default)
    const free = Object.keys(model.free_members).filter((d) => !axes.some((a) => dimOf(a) === d) && fitting.some((t) => t.free.includes(d)));
    byId("published-filters").replaceChildren(...free.map((d) => make("label", {}, `${LABELS[d] || d} `,
      make("select", { "data-dimension": d, onchange: (e) => { choice.filters[d] = e.target.value; draw(); } },
        model.free_members[d].map((m) => make("option", { value: m.key, selected: (choice.filters[d] || "all") === m.key }, m.label))))));
    for (const d of Object.keys(choice.filters)) if (!free.includes(d)) delete choice.filters[d];
  }

  function query(extra = {}) {
    const cut = [choice.edition, ...Object.entries(choice.filters).filter(([, v]) => v !== "all").map(([d, v]) => `${d}:${v}`)].filter(Boolean).join("|");
    const q = { rows: choice.rows, measure: choice.measure, ...(choice.columns ? { columns: choice.columns } : {}), ...(cut ? { cut } : {}), ...extra };
    return new URLSearchParams(q);
  }
  function cellNode(cell) {
    const why = [cell.reason || cell.note, cell.cv !== undefined ? `CV ${cell.cv}%` : ""].filter(Boolean).join("; ");
    const mark = MARKS[cell.flag] || "";
    const shown = cell.value === null || cell.value === undefined ? "" : Number(cell.value).toLocaleString("en-GB");
    return make("td", { class: `num ${cell.flag}`, "data-flag": cell.flag, title: why || undefined },
      shown, mark ? make("sup", {}, `[${mark}]`) : "");
  }
  function draw() {
    fillControls();
    const mine = ++generation;
    const url = new URL(location.href);
    url.search = new URLSearchParams({ cube, ...Object.fromEntries(query()) }).toString();
    history.replaceState(null, "", url);
    byId("published-csv").href = `published/${cube}/crosstab?${query({ format: "csv" })}`;
    get(`published/${cube}/crosstab?${query()}`).then((t) => {
      if (mine !== generation) return;
      const cols = t.columns ? t.columns.members : [{ key: "", label: choice.measure.replaceAll("_", " ") }];
      const head = make("tr", {}, make("th", {}, LABELS[t.rows.dimension] || t.rows.dimension), cols.map((c) => make("th", { scope: "col" }, c.label)));
      const body = t.rows.members.map((r, i) => make("tr", {}, make("th", { scope: "row" }, r.label),
        cols.map((_, j) => cellNode(t.cells[i][j]))));
      byId("published-table").replaceChildren(make("table", { class: "crosstab" }, make("thead", {}, head), make("tbody", {}, body)));
      // the marks this table uses, each with the publisher's reason
      const marks = new Map();
      for (const row of t.cells) for (const c of row) if (c.reason || c.note) marks.set(`${c.flag}|${c.reason || c.note}`, c);
      byId("published-marks").replaceChildren(...[...marks.values()].map((c) => make("li", { "data-flag": c.flag },
        MARKS[c.flag] ? `[${MARKS[c.flag]}] ` : "", `${c.flag.replaceAll("_", " ")}: ${c.reason || c.note}`)));
      const p = t.provenance;
      byId("published-provenance").textContent = [`${p.publication}, ${p.title && p.title.startsWith(p.table) ? p.title : `${p.table}${p.title ? ` (${p.title})` : ""}`}`,
        `${p.year} ${p.release}${p.period && p.period !== p.release ? `, ${p.period}` : ""}`, p.area, p.caveat, p.attribution].filter(Boolean).join(". ") + ".";
      document.body.dataset.publishedRenders = String(Number(document.body.dataset.publishedRenders || 0) + 1);
    }).catch((err) => {
      if (mine !== generation) return;
      const choices = err.choices ? ` Available: ${err.choices.join("; ")}` : "";
      byId("published-table").replaceChildren(make("p", { class: "error", role: "alert" }, `${err.message}.${choices}`));
      byId("published-marks").replaceChildren();
      byId("published-provenance").textContent = "";
      document.body.dataset.publishedRenders = String(Number(document.body.dataset.publishedRenders || 0) + 1);
    });
  }

  function bind() {
    for (const key of ["measure", "rows", "columns", "edition"]) {
      byId(`published-${key}`).addEventListener("change", (e) => { choice[key] = e.target.value; draw(); });
    }
  }
  let bound = false;
  async function open(name) {
    if (!bound) { bind(); bound = true; }
    cube = name;
    model = await get(`published/${name}/model`);
    const asked = new URLSearchParams(location.search);
    choice.measure = model.measures.includes(asked.get("measure")) ? asked.get("measure") : (model.measures.find((m) => m.endsWith("_median")) || model.measures[0]);
    choice.rows = asked.get("rows") || "";
    choice.columns = asked.get("columns") || "";
    choice.edition = "";
    choice.filters = {};
    setModelledHidden(true);
    draw();
  }
  function close() { if (cube) { cube = ""; generation++; setModelledHidden(false); } }
  return { open, close };
})();
