// Careerometer-style comparison: up to three SOC unit groups side by side.
"use strict";

const $ = (id) => document.getElementById(id);
const MAX = 3;
const params = new URLSearchParams(location.search);
if (params.get("embed") === "1") $("page-header").hidden = true;
let occupations = [];
let years = { from: null, to: null };
let picked = [];

function node(tag, attrs = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    if (k === "class") n.className = v; else if (k.startsWith("on")) n.addEventListener(k.slice(2), v); else n.setAttribute(k, v);
  }
  for (const c of children.flat()) n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return n;
}
async function api(path) {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error.message);
  return body;
}
const money = (v) => `£${Number(v).toLocaleString("en-GB")}`;
const num = (v) => Number(v).toLocaleString("en-GB");

function badge(flag) {
  if (flag === "low_reliability") return node("span", { class: "flag low_reliability", title: "based on a relatively small sample" }, "low reliability");
  return "";
}
function row(label, summary, measure, show) {
  if (!summary || summary.flag === "suppressed" || summary[measure] === null || summary[measure] === undefined) {
    return [node("dt", {}, label), node("dd", { class: "suppressed" }, node("span", { class: "flag suppressed" }, "no reliable data"))];
  }
  return [node("dt", {}, label), node("dd", { "data-measure": measure }, show(summary[measure]), badge(summary.flag))];
}

async function card(occ) {
  const cut = `occupation:${occ.path.join(",")}`;
  const q = (cube, extra) => api(`cube/${cube}/aggregate?${new URLSearchParams({ cut, ...extra })}`).then((r) => r.summary).catch(() => null);
  const [pay, hours, jobs, outlook] = await Promise.all([
    q("ashe_pay", { aggregates: "mean_pay|median_pay" }),
    q("ashe_hours", { aggregates: "mean_hours" }),
    q("working_futures", { aggregates: "employment" }),
    q("working_futures", { aggregates: "employment_change|total_requirement", from: years.from, to: years.to }),
  ]);
  const change = (v) => `${v > 0 ? "+" : ""}${num(v)}%`;
  return node("article", { class: "card", "data-soc": occ.key },
    node("h3", {}, `${occ.label} (${occ.key})`),
    node("dl", {},
      row("Mean weekly pay", pay, "mean_pay", money),
      row("Median weekly pay", pay, "median_pay", money),
      row("Weekly hours", hours, "mean_hours", (v) => `${v} h`),
      row(`Employment ${years.from}`, jobs, "employment", num),
      row(`Change ${years.from}–${years.to}`, outlook, "employment_change", change),
      row(`Job openings ${years.from}–${years.to}`, outlook, "total_requirement", num)));
}

async function drawCards() {
  $("picked").replaceChildren(...picked.map((o) => node("button", { type: "button", "aria-label": `Remove ${o.label}`,
    onclick: () => { picked = picked.filter((p) => p !== o); drawCards(); } }, `${o.label} ×`)));
  $("cards").replaceChildren(...await Promise.all(picked.map(card)));
  const url = new URLSearchParams(location.search);
  if (picked.length) url.set("soc", picked.map((o) => o.key).join(",")); else url.delete("soc");
  history.replaceState(null, "", `${location.pathname}?${url}`);
  document.body.dataset.cards = String(picked.length);
}

function search() {
  const text = $("job").value.trim().toLowerCase();
  if (text.length < 2) { $("job-results").replaceChildren(); return; }
  const found = occupations.filter((o) => o.label.toLowerCase().includes(text) || String(o.key).startsWith(text)).slice(0, 12);
  $("job-results").replaceChildren(...found.map((o) => node("li", {}, node("button", { type: "button",
    disabled: picked.length >= MAX || picked.includes(o) ? "" : null,
    onclick: () => { if (picked.length < MAX && !picked.includes(o)) picked.push(o); $("job").value = ""; $("job-results").replaceChildren(); drawCards(); },
  }, `${o.label} (${o.key})`))));
}

async function start() {
  const [soc, yearList] = await Promise.all([
    api("cube/ashe_pay/members/occupation?level=soc4"),
    api("cube/working_futures/members/year"),
  ]);
  // Slicer member records are keyed by attribute reference and carry every level's key
  const levels = ["soc1", "soc2", "soc3", "soc4"];
  occupations = soc.data.map((d) => ({ key: d["occupation.soc4"], label: d["occupation.soc4_title"],
    path: levels.map((l) => d[`occupation.${l}`]) }));
  const all = yearList.data;
  const history = all.filter((y) => y["year.kind"] === "history");
  years = { from: (history.length ? history[history.length - 1] : all[0])["year.year"], to: all[all.length - 1]["year.year"] };
  $("job").addEventListener("input", search);
  const preset = (params.get("soc") || "").split(",").map(Number).filter(Boolean);
  // in the order asked for (?soc=2231,2136 shows 2231 first), each once
  picked = [...new Set(preset)].map((k) => occupations.find((o) => o.key === k)).filter(Boolean).slice(0, MAX);
  $("widget-source").textContent = "Modelled estimates; values rounded; groups under 1,000 jobs show “no reliable data”.";
  await drawCards();
  document.body.dataset.ready = "true";
}
start().catch((err) => { $("cards").replaceChildren(node("p", { class: "error", role: "alert" }, `Cannot reach the API: ${err.message}`)); });
