// Django Packages in the browser: search, list sorting and filtering, grid controls.
// Every page works without this file; it only adds what a server would otherwise do,
// from JSON files the build writes (search/index.json, packages/rows.json).
"use strict";

const BASE = document.body.dataset.base || "/";
const box = document.getElementById("q");

// "/" focuses the search box (unless typing in a field already).
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || !box) return;
  const tag = (event.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
  event.preventDefault();
  box.focus();
});

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const loaded = {};
function load(path) {
  loaded[path] ??= fetch(BASE + path).then((r) => {
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.json();
  });
  return loaded[path];
}

// ---------------------------------------------------------------- search

const ASCII = /^[\x00-\x7f]*$/;
const fold = (s) => (ASCII.test(s) ? s : s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")).toLowerCase();
const words = (s) => fold(s).split(/[^a-z0-9]+/).filter(Boolean);
// "django-Filter", "django filter" and "filter" all squash to "filter".
const squash = (s) => fold(s).replace(/[^a-z0-9]/g, "").replace(/^django(?=.)/, "");

// Damerau-Levenshtein distance, giving up (max + 1) once it must exceed `max`.
function distance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2 = null;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (prev2 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2] + 1);
      }
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

// Rows of search/index.json as entries to match; descriptions (search/text.json) are
// attached by `attachText` when they arrive.
function prepare(index) {
  return index.rows.map(([kind, slug, title, aliases, category, version, stars, commit, flags, weight]) => {
    title ||= slug;
    const titleWords = words(title);
    for (const alias of aliases) titleWords.push(...words(alias));
    return {
      kind, slug, title, aliases, category, version, stars, commit, flags, weight,
      sortTitle: title.toLowerCase(),
      href: BASE + index.paths[kind].replace("{slug}", slug),
      titleWords,
      slugWords: words(slug),
      text: "",
      textWords: [],
      titleKey: squash(title),
      aliasKeys: aliases.map(squash),
      slugKey: squash(slug),
    };
  });
}

function attachText(entries, text) {
  entries.forEach((entry, i) => {
    entry.text = text.rows[i] || "";
    entry.textWords = [...new Set(words(entry.text))];
  });
}

// Is `word` (or the start of it, while typing) within a typo or two of `token`?
// Typos in the first letter are rare, so only words starting alike are compared; the
// same words recur across packages ("django"…), so answers are remembered per search.
const nearMemo = new Map();
function near(token, word) {
  if (word[0] !== token[0]) return false;
  const memoKey = `${token} ${word}`;
  let answer = nearMemo.get(memoKey);
  if (answer === undefined) {
    const max = token.length >= 8 ? 2 : 1;
    answer = distance(token, word, max) <= max ||
      (word.length > token.length && distance(token, word.slice(0, token.length), max) <= max);
    nearMemo.set(memoKey, answer);
  }
  return answer;
}

// Points for one query word: a title match beats a slug match beats a description
// match; whole words beat prefixes (typing); with `typos`, a near miss counts for less.
function wordPoints(entry, token, typos) {
  const match = (list, whole, prefix) => {
    let best = 0;
    for (const w of list) {
      if (w === token) return whole;
      if (w.startsWith(token)) best = prefix;
    }
    return best;
  };
  const points = Math.max(
    match(entry.titleWords, 30, 24),
    entry.titleKey.includes(token) ? 18 : 0,
    match(entry.slugWords, 20, 16),
    entry.slugKey.includes(token) ? 14 : 0,
    match(entry.textWords, 10, 8),
  );
  if (points || !typos || token.length < 4) return points;
  if (near(token, entry.titleKey) || entry.titleWords.some((w) => near(token, w))) return 12;
  if (near(token, entry.slugKey) || entry.slugWords.some((w) => near(token, w))) return 9;
  return 0;
}

function scan(entries, tokens, key, typos, skip) {
  const found = [];
  for (const entry of entries) {
    if (skip && skip.has(entry)) continue;
    let points = 0;
    for (const token of tokens) {
      const p = wordPoints(entry, token, typos);
      if (!p) { points = 0; break; }
      points += p;
    }
    if (!points) continue;
    if (key === entry.titleKey || key === entry.slugKey) points += 100;
    else if (entry.titleKey.startsWith(key)) points += 40;
    found.push([points, entry]);
  }
  return found;
}

// The best `limit` entries for `query`; near misses are looked for only when exact and
// prefix matches leave room, which keeps typing fast on thousands of packages.
function search(entries, query, limit) {
  let tokens = words(query);
  if (tokens.length > 1) tokens = tokens.filter((t) => t !== "django");
  if (!tokens.length) return [];
  const key = squash(query);
  let found = scan(entries, tokens, key, false, null);
  if (found.length < limit) {
    nearMemo.clear();
    found = found.concat(scan(entries, tokens, key, true, new Set(found.map((f) => f[1]))));
  }
  found.sort((a, b) => b[0] - a[0] || b[1].weight - a[1].weight ||
    (a[1].sortTitle < b[1].sortTitle ? -1 : a[1].sortTitle > b[1].sortTitle ? 1 : 0));
  return found.slice(0, limit).map((f) => f[1]);
}

// The index, then the descriptions: the first result needs only the index. Each caller
// passes a function to run again once the descriptions are in (they widen the matches).
const textListeners = new Set();
let searchReady = null;
function searchEntries(onText) {
  if (onText) textListeners.add(onText);
  searchReady ??= load(box.form.dataset.index).then((index) => {
    const entries = prepare(index);
    load(box.form.dataset.text).then((text) => {
      attachText(entries, text);
      entries.withText = true;
      for (const listener of textListeners) listener();
    });
    return entries;
  });
  return searchReady;
}

function resultItem(entry) {
  return el("li", {},
    el("a", { href: entry.href }, entry.title),
    entry.kind === "g" ? el("span", { class: "tag" }, "grid") : null,
    entry.text ? el("span", { class: "muted snippet" }, entry.text) : null);
}

// Arrow keys move focus between the search box and a list of result links; Enter on a
// link opens it (the browser's own behaviour), Escape returns to the box.
function arrowKeys(list, onEscape) {
  const links = () => [...list.querySelectorAll("a")];
  const move = (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? box : all[at - 1]).focus();
    } else if (event.key === "Escape") {
      box.focus();
      onEscape();
    }
  };
  box.addEventListener("keydown", move);
  list.addEventListener("keydown", move);
}

function searchPage(results, status) {
  const query = new URLSearchParams(location.search).get("q") || "";
  box.value = query;
  const show = async () => {
    const q = box.value.trim();
    const url = q ? `?q=${encodeURIComponent(q)}` : location.pathname;
    history.replaceState(null, "", url);
    if (!q) {
      results.replaceChildren();
      status.textContent = "Type in the search box above.";
      return;
    }
    const found = search(await searchEntries(show), q, 50);
    if (box.value.trim() !== q) return;
    results.replaceChildren(...found.map(resultItem));
    status.textContent = found.length
      ? `${found.length === 50 ? "Top 50" : found.length} result${found.length === 1 ? "" : "s"} for “${q}”`
      : `Nothing found for “${q}”.`;
  };
  box.addEventListener("input", show);
  box.form.addEventListener("submit", (event) => { event.preventDefault(); show(); });
  arrowKeys(results, () => {});
  show();
}

function suggestBox(form) {
  const list = el("ol", { class: "results" });
  const panel = el("div", { class: "suggest", id: "q-suggest", hidden: true }, list);
  form.append(panel);
  box.setAttribute("aria-controls", "q-suggest");
  const close = () => { panel.hidden = true; };
  const show = async () => {
    const q = box.value.trim();
    if (!q) return close();
    const found = search(await searchEntries(), q, 8);
    if (box.value.trim() !== q) return;
    list.replaceChildren(...found.map(resultItem));
    if (!found.length) list.append(el("li", { class: "muted" }, "No match. Press Enter to search."));
    panel.hidden = false;
  };
  // Fetch the index only when someone uses the box (focus or typing), never on idle:
  // most visits never search, and the index is the heaviest file a page could load.
  const warm = () => { searchEntries(() => { if (!panel.hidden) show(); }); };
  for (const event of ["focusin", "input"]) form.addEventListener(event, warm, { once: true, passive: true });
  box.addEventListener("input", show);
  form.addEventListener("focusout", (event) => { if (!form.contains(event.relatedTarget)) close(); });
  arrowKeys(list, close);
}

if (box) {
  const results = document.getElementById("search-results");
  if (results) searchPage(results, document.getElementById("search-status"));
  else suggestBox(box.form);
}

// ---------------------------------------------------------------- package lists

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const humanDate = (iso) => {
  if (!iso) return "—";
  const [y, m, d] = iso.split("-").map(Number);
  return `${MONTHS[m - 1]} ${d}, ${y}`;
};
const thousands = (n) => n.toLocaleString("en-US");
const ARCHIVED = 1, DEPRECATED = 2, PAGE_SIZE = 50;
const LIST_ORDER = {
  title: (a, b) => a.title.toLowerCase().localeCompare(b.title.toLowerCase()),
  stars: (a, b) => b.stars - a.stars,
  forks: (a, b) => b.forks - a.forks,
  commit: (a, b) => (b.commit || "").localeCompare(a.commit || ""),
  score: (a, b) => b.score - a.score,
};

function listRow(row, categories) {
  const tags = [];
  if (row.flags & DEPRECATED) tags.push(" ", el("span", { class: "tag" }, "deprecated"));
  if (row.flags & ARCHIVED) tags.push(" ", el("span", { class: "tag" }, "archived"));
  return el("tr", { class: row.flags ? "muted" : null },
    el("th", { scope: "row" }, el("a", { href: BASE + row.path }, row.title), ...tags),
    el("td", {}, categories[row.category] || row.category),
    el("td", { class: "num" }, thousands(row.stars)),
    el("td", { class: "num" }, thousands(row.forks)),
    el("td", {}, humanDate(row.commit)),
    el("td", { class: "num" }, thousands(row.score)),
    el("td", {}, row.version || "—"));
}

// The rows file is fetched when the address asks for a sorted or filtered list, or when
// someone heads for the controls; until it is in, the static page (title order) stays
// and the controls already work: a change is applied as soon as the rows arrive.
function packageList(form) {
  const table = document.querySelector("table.list");
  const status = document.getElementById("list-status");
  const fixedCategory = form.dataset.category || "";
  let rows = null, categories = {};
  const fetchRows = () => {
    fetchRows.done ??= load(form.dataset.rows.slice(BASE.length)).then((data) => {
      categories = data.categories;
      rows = data.rows.map((r) => {
        const row = Object.fromEntries(data.columns.map((c, i) => [c, r[i]]));
        row.title ||= row.slug;
        row.django = data.django.filter((_, i) => row.django & (1 << i));
        row.python = data.python.filter((_, i) => row.python & (1 << i));
        return row;
      });
    });
    return fetchRows.done;
  };
  form.hidden = false;
  const pager = el("nav", { class: "pager", "aria-label": "Pages" });

  const state = () => {
    const params = new URLSearchParams(location.search);
    return {
      sort: LIST_ORDER[params.get("sort")] ? params.get("sort") : "title",
      category: params.get("category") || "",
      django: params.get("django") || "",
      python: params.get("python") || "",
      all: params.get("all") === "1",
      page: Math.max(1, parseInt(params.get("page"), 10) || 1),
    };
  };
  const urlFor = (s) => {
    const params = new URLSearchParams();
    if (s.sort !== "title") params.set("sort", s.sort);
    for (const key of ["category", "django", "python"]) if (s[key]) params.set(key, s[key]);
    if (s.all) params.set("all", "1");
    if (s.page > 1) params.set("page", s.page);
    const query = params.toString();
    return location.pathname.replace(/page\/\d+\/$/, "") + (query ? `?${query}` : "");
  };
  const showState = (s) => {
    for (const key of ["sort", "category", "django", "python"]) if (form.elements[key]) form.elements[key].value = s[key];
    form.elements.all.checked = s.all;
  };
  const render = async () => {
    if (!rows) {
      showState(state());
      status.textContent = "Loading the list…";
      await fetchRows();
    }
    const s = state();
    showState(s);
    if (!pager.isConnected) {
      document.querySelectorAll("nav.pager").forEach((n) => n.remove());
      table.closest(".scroll").after(pager);
    }
    const category = fixedCategory || s.category;
    const shown = rows.filter((r) =>
      (!category || r.category === category) &&
      (!s.django || r.django.includes(s.django)) &&
      (!s.python || r.python.includes(s.python)) &&
      (s.all || !r.flags));
    shown.sort((a, b) => LIST_ORDER[s.sort](a, b) || LIST_ORDER.title(a, b));
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    const page = Math.min(s.page, pages);
    table.tBodies[0].replaceChildren(
      ...shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r) => listRow(r, categories)));
    status.textContent = `${shown.length} package${shown.length === 1 ? "" : "s"}` +
      (s.all ? "" : " (archived and deprecated hidden)");
    pager.replaceChildren();
    if (pages > 1) {
      if (page > 1) pager.append(el("a", { rel: "prev", href: urlFor({ ...s, page: page - 1 }) }, "← Previous"));
      pager.append(el("span", {}, `Page ${page} of ${pages}`));
      if (page < pages) pager.append(el("a", { rel: "next", href: urlFor({ ...s, page: page + 1 }) }, "Next →"));
    }
  };
  // The address changes once the list it names is shown (the rows may still be coming).
  form.addEventListener("change", async () => {
    if (!rows) {
      status.textContent = "Loading the list…";
      await fetchRows();
    }
    const f = form.elements;
    history.pushState(null, "", urlFor({
      sort: f.sort.value, category: f.category ? f.category.value : "",
      django: f.django.value, python: f.python.value, all: f.all.checked, page: 1,
    }));
    render();
  });
  pager.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (!link) return;
    event.preventDefault();
    history.pushState(null, "", link.getAttribute("href"));
    render();
    table.scrollIntoView();
  });
  window.addEventListener("popstate", render);
  for (const event of ["focusin", "pointerenter", "touchstart"]) {
    form.addEventListener(event, fetchRows, { once: true, passive: true });
  }
  // A static page N of the title order opens as page N of the scripted list.
  const staticPage = location.pathname.match(/page\/(\d+)\/$/);
  if (location.search) {
    if (staticPage && !new URLSearchParams(location.search).has("page")) {
      history.replaceState(null, "", urlFor({ ...state(), page: Number(staticPage[1]) }));
    }
    render();
  } else {
    showState(state());
  }
}

const listForm = document.getElementById("list-controls");
if (listForm) packageList(listForm);

// ---------------------------------------------------------------- grid comparison

const GRID_ORDER = {
  score: (a, b) => Number(b.dataset.score) - Number(a.dataset.score),
  stars: (a, b) => Number(b.dataset.stars) - Number(a.dataset.stars),
  commit: (a, b) => (b.dataset.commit || "").localeCompare(a.dataset.commit || ""),
  name: (a, b) => a.dataset.name.localeCompare(b.dataset.name),
};

function gridControls(form) {
  const table = document.querySelector("table.grid");
  const status = document.getElementById("grid-status");
  const top = Number(form.dataset.top);
  const headers = [...table.tHead.rows[0].cells].slice(1);
  headers.forEach((th, i) => { th.dataset.col = i + 1; });
  const original = new Map([...table.rows].map((row) => [row, [...row.cells]]));
  form.hidden = false;
  const render = () => {
    const f = form.elements;
    const order = [...headers].sort((a, b) => GRID_ORDER[f.sort.value](a, b) || GRID_ORDER.name(a, b));
    let visible = order.filter((th) => (!f.stable.checked || "stable" in th.dataset) &&
      (f.all.checked || Number(th.dataset.score) >= 0));
    if (!f.all.checked) visible = visible.slice(0, top);
    const shown = new Set(visible);
    for (const row of table.rows) {
      const cells = original.get(row);
      row.append(...order.map((th) => {
        const cell = cells[th.dataset.col];
        cell.hidden = !shown.has(th);
        return cell;
      }));
    }
    status.textContent = `Showing ${visible.length} of ${headers.length} packages` +
      (f.all.checked ? "." : ": the top by score first, none scoring below 0.");
  };
  form.addEventListener("change", render);
  render();
}

const gridForm = document.getElementById("grid-controls");
if (gridForm) gridControls(gridForm);
