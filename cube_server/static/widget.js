// Careerometer-style comparison: up to three SOC unit groups side by side. Job titles are
// found with the server's ONS coding index (/api/v1/soc/search), so "lorry driver" finds
// "Large goods vehicle drivers"; embedded (?embed=1), the page tells its parent its height.
"use strict";

const $ = (id) => document.getElementById(id);
const MAX = 3;
const params = new URLSearchParams(location.search);
if (params.get("embed") === "1") $("page-header").hidden = true;
let occupations = [];
let years = { from: null, to: null };
let asheYears = "";  // the pay survey's year(s), shown with its figures
let picked = [];
let searching = null;  // the running search's AbortController: the newest search wins

function node(tag, attrs = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    if (k === "class") n.className = v; else if (k.startsWith("on")) n.addEventListener(k.slice(2), v); else n.setAttribute(k, v);
  }
  for (const c of children.flat()) n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return n;
}
async function api(path, signal) {
  const r = await fetch(path, signal ? { signal } : undefined);
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

function absent(label) {
  return [node("dt", {}, label), node("dd", { class: "absent" }, node("span", { class: "flag suppressed", title: "The pay survey (ASHE) has no figures for this group" }, "not surveyed"))];
}

// estimatePay answers from an imported ONS occupation table when one has the group: that
// figure is shown as published (unrounded), labelled with its publication, table and year
async function publishedPay(soc) {
  const body = await api(`api/v1/ashe/estimatePay?${new URLSearchParams({ soc })}`).catch(() => null);
  const items = ((body && body.series) || []).filter((i) => i.source);
  return items.length ? items[items.length - 1] : null;
}
function publishedRow(item) {
  const s = item.source;
  return [node("dt", {}, `Mean weekly pay ${item.year}`),
    node("dd", { "data-measure": "mean_pay", "data-source": "published" }, money(s.published_value),
      node("span", { class: "source published-source" }, ` Source: ${s.publication}, ${s.table}, ${item.year} (${s.release}). ${s.attribution}`))];
}

async function card(occ) {
  const cut = `occupation:${occ.path.join(",")}`;
  const q = (cube, extra) => api(`cube/${cube}/aggregate?${new URLSearchParams({ cut, ...extra })}`).then((r) => r.summary).catch(() => null);
  const none = Promise.resolve(null);
  const [published, pay, hours, jobs, outlook] = await Promise.all([
    publishedPay(occ.key),
    occ.inAshe ? q("ashe_pay", { aggregates: "mean_pay|median_pay" }) : none,
    occ.inAshe ? q("ashe_hours", { aggregates: "mean_hours" }) : none,
    q("working_futures", { aggregates: "employment" }),
    q("working_futures", { aggregates: "employment_change|total_requirement", from: years.from, to: years.to }),
  ]);
  const change = (v) => `${v > 0 ? "+" : ""}${num(v)}%`;
  return node("article", { class: "card", "data-soc": occ.key },
    node("h3", {}, `${occ.label} (${occ.key})`),
    occ.inAshe ? "" : node("p", { class: "source" }, "The pay survey (ASHE) does not cover this group; the employment outlook is from Working Futures."),
    node("dl", {},
      ...(published ? [publishedRow(published)] : []),
      ...(occ.inAshe ? [published ? "" : row(`Mean weekly pay ${asheYears}`, pay, "mean_pay", money), row(`Median weekly pay ${asheYears}`, pay, "median_pay", money),
        row(`Weekly hours ${asheYears}`, hours, "mean_hours", (v) => `${v} h`)]
        : [published ? "" : absent(`Mean weekly pay ${asheYears}`), absent(`Median weekly pay ${asheYears}`), absent(`Weekly hours ${asheYears}`)]),
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

function choose(o) {
  if (picked.length < MAX && !picked.includes(o)) picked.push(o);
  $("job").value = "";
  $("job-results").replaceChildren();
  drawCards();
}

function showResults(found) {
  $("job-results").replaceChildren(...found.map(({ occ, also }) => node("li", {}, node("button", { type: "button",
    disabled: picked.length >= MAX || picked.includes(occ) ? "" : null, onclick: () => choose(occ),
  }, `${occ.label} (${occ.key})`, also ? node("span", { class: "also" }, ` — ${also}`) : ""))));
  document.body.dataset.searches = String(Number(document.body.dataset.searches || 0) + 1);
}

// a code searches the codes; words search the ONS coding index of job titles
async function search() {
  const text = $("job").value.trim().toLowerCase();
  if (searching) searching.abort();
  searching = null;
  if (text.length < 2) { $("job-results").replaceChildren(); return; }
  if (/^\d+$/.test(text)) {
    showResults(occupations.filter((o) => String(o.key).startsWith(text)).slice(0, 12).map((occ) => ({ occ })));
    return;
  }
  const controller = new AbortController();
  searching = controller;
  try {
    const hits = await api(`api/v1/soc/search?${new URLSearchParams({ q: text })}`, controller.signal);
    if (searching !== controller) return;
    showResults(hits.map((h) => {
      const occ = occupations.find((o) => o.key === h.soc);
      const also = (h.add_titles || []).find((t) => t.toLowerCase().includes(text) && !occ?.label.toLowerCase().includes(text));
      return occ ? { occ, also } : null;
    }).filter(Boolean));
  } catch (err) {
    if (searching !== controller || err.name === "AbortError") return;
    // the index is unavailable: fall back to the unit-group titles
    showResults(occupations.filter((o) => o.label.toLowerCase().includes(text)).slice(0, 12).map((occ) => ({ occ })));
  }
}

// embedded: tell the page holding the iframe how tall the widget is (embed.js listens)
function reportHeight() {
  if (params.get("embed") !== "1" || window.parent === window) return;
  const send = () => window.parent.postMessage({ type: "lmi-cubes-widget-height", height: Math.ceil(document.documentElement.scrollHeight) }, "*");
  new ResizeObserver(send).observe(document.body);
  send();
}

async function start() {
  reportHeight();
  // every unit group Working Futures has (the armed forces too), marked where ASHE has it
  const [soc, ashe, yearList, asheYearList] = await Promise.all([
    api("cube/working_futures/members/occupation?level=soc4"),
    api("cube/ashe_pay/members/occupation?level=soc4"),
    api("cube/working_futures/members/year"),
    api("cube/ashe_pay/members/year"),
  ]);
  const ay = asheYearList.data.map((d) => d["year.year"]);
  asheYears = ay.length === 1 ? String(ay[0]) : ay.length ? `${ay[0]}–${ay[ay.length - 1]}` : "";
  // Slicer member records are keyed by attribute reference and carry every level's key
  const levels = ["soc1", "soc2", "soc3", "soc4"];
  const inAshe = new Set(ashe.data.map((d) => d["occupation.soc4"]));
  occupations = soc.data.map((d) => ({ key: d["occupation.soc4"], label: d["occupation.soc4_title"],
    path: levels.map((l) => d[`occupation.${l}`]), inAshe: inAshe.has(d["occupation.soc4"]) }));
  const all = yearList.data;
  const history = all.filter((y) => y["year.kind"] === "history");
  years = { from: (history.length ? history[history.length - 1] : all[0])["year.year"], to: all[all.length - 1]["year.year"] };
  $("job").addEventListener("input", search);
  const preset = (params.get("soc") || "").split(",").map((t) => t.trim()).filter(Boolean);
  // in the order asked for (?soc=2231,2136 shows 2231 first), each once; unknown codes named
  const unknown = [];
  picked = [];
  for (const code of new Set(preset)) {
    const occ = /^\d{4}$/.test(code) ? occupations.find((o) => o.key === Number(code)) : null;
    if (!occ) unknown.push(code); else if (picked.length < MAX) picked.push(occ);
  }
  const extra = [...new Set(preset)].length - unknown.length - picked.length;
  const notes = [];
  if (unknown.length) notes.push(`No SOC 2010 unit group has the code${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}.`);
  if (extra > 0) notes.push(`Only ${MAX} occupations can be compared; the last ${extra} were left out.`);
  $("widget-notes").replaceChildren(...notes.map((n) => node("p", {}, n)));
  $("widget-source").textContent = "Modelled estimates; values rounded; groups under 1,000 jobs show “no reliable data”.";
  await drawCards();
  document.body.dataset.ready = "true";
}
start().catch((err) => { $("cards").replaceChildren(node("p", { class: "error", role: "alert" }, `Cannot reach the API: ${err.message}`)); });
