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

// ---------------------------------------------------------------- formatting

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const humanDate = (iso) => {
  if (!iso) return "—";
  const [y, m, d] = iso.split("-").map(Number);
  return `${MONTHS[m - 1]} ${d}, ${y}`;
};
const thousands = (n) => n.toLocaleString("en-US");
const ARCHIVED = 1, DEPRECATED = 2, PAGE_SIZE = 50;

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

// Points for one query word: a title (or alias) match beats a slug match beats a
// description match; whole words beat prefixes (typing). With `typos`, a near miss
// scores below every exact or prefix match, so "auth" lists what says auth before
// "autocomplete".
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
  if (near(token, entry.titleKey) || entry.titleWords.some((w) => near(token, w))) return 3;
  if (near(token, entry.slugKey) || entry.slugWords.some((w) => near(token, w))) return 2;
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
    if (key === entry.titleKey || key === entry.slugKey || entry.aliasKeys.includes(key)) points += 100;
    else if (entry.titleKey.startsWith(key)) points += 40;
    found.push([points, entry]);
  }
  return found;
}

// Every entry matching `query`, best first; near misses are looked for only when exact
// and prefix matches number fewer than `enough`, which keeps typing fast on thousands
// of packages and typos from crowding out real matches.
function search(entries, query, enough) {
  let tokens = words(query);
  if (tokens.length > 1) tokens = tokens.filter((t) => t !== "django");
  if (!tokens.length) return [];
  const key = squash(query);
  let found = scan(entries, tokens, key, false, null);
  if (found.length < enough) {
    nearMemo.clear();
    found = found.concat(scan(entries, tokens, key, true, new Set(found.map((f) => f[1]))));
  }
  found.sort((a, b) => b[0] - a[0] || b[1].weight - a[1].weight ||
    (a[1].sortTitle < b[1].sortTitle ? -1 : a[1].sortTitle > b[1].sortTitle ? 1 : 0));
  return found.map((f) => f[1]);
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
      for (const listener of [...textListeners]) listener();
    });
    return entries;
  });
  return searchReady;
}

// A description cut to about `limit` characters at a word boundary.
function snippet(text, limit = 160) {
  if (text.length <= limit) return text;
  return text.slice(0, limit).replace(/\s+\S*$/, "") + "…";
}

const plural = (n, one, many = `${one}s`) => `${thousands(n)} ${n === 1 ? one : many}`;

// What a chooser compares at a glance: category, version, stars, last commit.
function entryFacts(entry) {
  if (entry.kind === "g") return ["comparison grid"];
  return [
    entry.category,
    entry.version ? `v${entry.version}` : "no release on PyPI",
    entry.stars === null ? "stars not fetched yet" : plural(entry.stars, "star"),
    entry.commit ? `last commit ${humanDate(entry.commit)}` : null,
  ].filter(Boolean);
}

function marks(flags) {
  const out = [];
  if (flags & DEPRECATED) out.push(" ", el("span", { class: "tag warn" }, "deprecated"));
  if (flags & ARCHIVED) out.push(" ", el("span", { class: "tag warn" }, "archived"));
  return out;
}

function resultItem(entry) {
  return el("li", { class: entry.flags ? "result muted" : "result" },
    el("a", { href: entry.href }, entry.title),
    entry.kind === "g" ? el("span", { class: "tag" }, "grid") : null,
    ...marks(entry.flags),
    el("span", { class: "facts" }, entryFacts(entry).join(" · ")),
    entry.text ? el("span", { class: "muted snippet" }, snippet(entry.text)) : null);
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

const searchUrl = (q, page = 1) =>
  `${BASE}search/?q=${encodeURIComponent(q)}${page > 1 ? `&page=${page}` : ""}`;

// The results page: every match, 50 a page, with the query and page in the address.
function searchPage(results, status) {
  const params = new URLSearchParams(location.search);
  box.value = params.get("q") || "";
  let page = Math.max(1, parseInt(params.get("page"), 10) || 1);
  const pager = el("nav", { class: "pager", "aria-label": "Result pages" });
  results.after(pager);
  const show = async () => {
    const q = box.value.trim();
    history.replaceState(null, "", q ? searchUrl(q, page) : location.pathname);
    pager.replaceChildren();
    if (!q) {
      results.replaceChildren();
      status.textContent = "Type what you are looking for in the search box above.";
      return;
    }
    const found = search(await searchEntries(show), q, PAGE_SIZE);
    if (box.value.trim() !== q) return;
    const pages = Math.max(1, Math.ceil(found.length / PAGE_SIZE));
    page = Math.min(page, pages);
    const first = (page - 1) * PAGE_SIZE;
    const shown = found.slice(first, first + PAGE_SIZE);
    results.start = first + 1;
    results.replaceChildren(...shown.map(resultItem));
    status.textContent = !found.length ? `Nothing found for “${q}”.`
      : `${plural(found.length, "result")} for “${q}”` +
        (pages > 1 ? `, ${thousands(first + 1)}–${thousands(first + shown.length)} shown` : "");
    if (pages > 1) {
      if (page > 1) pager.append(el("a", { rel: "prev", href: searchUrl(q, page - 1) }, "← Previous"));
      pager.append(el("span", {}, `Page ${page} of ${pages}`));
      if (page < pages) pager.append(el("a", { rel: "next", href: searchUrl(q, page + 1) }, "Next →"));
    }
  };
  pager.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (!link) return;
    event.preventDefault();
    page = Number(new URL(link.href).searchParams.get("page")) || 1;
    show();
    status.scrollIntoView();
  });
  box.addEventListener("input", () => { page = 1; show(); });
  box.form.addEventListener("submit", (event) => { event.preventDefault(); page = 1; show(); });
  arrowKeys(results, () => {});
  status.hidden = false;
  show();
}

const SUGGESTED = 8;

// A suggestion is one link as a whole (an ARIA option), so a screen reader reads the
// facts with the name.
function optionItem(entry, id) {
  return el("li", { role: "none" },
    el("a", { href: entry.href, role: "option", id, tabindex: "-1", "aria-selected": "false", class: entry.flags ? "muted" : null },
      el("span", { class: "name" }, entry.title),
      entry.kind === "g" ? el("span", { class: "tag" }, "grid") : null,
      ...marks(entry.flags),
      el("span", { class: "facts" }, entryFacts(entry).join(" · ")),
      entry.text ? el("span", { class: "snippet" }, snippet(entry.text, 90)) : null));
}

// The header box as an ARIA 1.2 combobox: focus stays in the box while the arrow keys
// move the active option (aria-activedescendant); Enter opens it, Escape closes the
// list (and, once it is closed, clears the box as any search field does).
function suggestBox(form) {
  const list = el("ul", { class: "results", role: "listbox", id: "q-suggest-list", "aria-label": "Suggestions" });
  const panel = el("div", { class: "suggest", id: "q-suggest", hidden: true }, list);
  const live = el("span", { class: "sr", role: "status" });
  form.append(panel, live);
  for (const [name, value] of Object.entries({
    role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "q-suggest-list",
  })) box.setAttribute(name, value);
  let active = -1;
  const options = () => [...list.querySelectorAll('[role="option"]:not([aria-disabled="true"])')];
  const activate = (at) => {
    const all = options();
    active = at;
    all.forEach((option, i) => option.setAttribute("aria-selected", String(i === at)));
    if (at >= 0) {
      box.setAttribute("aria-activedescendant", all[at].id);
      all[at].scrollIntoView({ block: "nearest" });
    } else box.removeAttribute("aria-activedescendant");
  };
  const setOpen = (open) => {
    panel.hidden = !open;
    box.setAttribute("aria-expanded", String(open));
    if (!open) activate(-1);
  };
  const close = () => setOpen(false);
  const refresh = () => { if (!panel.hidden) show(); };
  const show = async () => {
    const q = box.value.trim();
    if (!q) return close();
    const found = search(await searchEntries(refresh), q, PAGE_SIZE);
    if (box.value.trim() !== q) return;
    list.replaceChildren(...found.slice(0, SUGGESTED).map((entry, i) => optionItem(entry, `q-opt-${i}`)));
    if (!found.length) {
      list.append(el("li", { role: "option", id: "q-opt-none", "aria-disabled": "true", "aria-selected": "false", class: "muted" }, "No match. Press Enter to search."));
    } else if (found.length > SUGGESTED) {
      list.append(el("li", { role: "none", class: "all" },
        el("a", { role: "option", id: "q-opt-all", tabindex: "-1", "aria-selected": "false", href: searchUrl(q) },
          `All ${plural(found.length, "result")} for “${q}” →`)));
    }
    live.textContent = found.length ? `${plural(found.length, "result")}, arrow keys to choose.` : "No match.";
    activate(-1);
    setOpen(true);
  };
  // Fetch the index only when someone uses the box (focus or typing), never on idle:
  // most visits never search, and the index is the heaviest file a page could load.
  for (const event of ["focusin", "input"]) form.addEventListener(event, () => searchEntries(), { once: true, passive: true });
  box.addEventListener("input", show);
  box.addEventListener("keydown", (event) => {
    const count = options().length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (panel.hidden) show();
      else if (count) activate(Math.min(active + 1, count - 1));
    } else if (event.key === "ArrowUp" && !panel.hidden) {
      event.preventDefault();
      activate(Math.max(active - 1, -1));
    } else if (event.key === "Enter" && active >= 0 && !panel.hidden) {
      event.preventDefault();
      location.href = options()[active].href;
    } else if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();  // a search field clears itself on Escape: close only
      close();
    }
  });
  list.addEventListener("pointerdown", (event) => event.preventDefault());  // keep focus in the box
  form.addEventListener("focusout", (event) => { if (!form.contains(event.relatedTarget)) close(); });
}

if (box) {
  const results = document.getElementById("search-results");
  if (results) searchPage(results, document.getElementById("search-status"));
  else suggestBox(box.form);
}

// ---------------------------------------------------------------- package lists

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
    el("td", { "data-label": "Category" }, categories[row.category] || row.category),
    el("td", { class: "num", "data-label": "Stars" }, thousands(row.stars)),
    el("td", { class: "num", "data-label": "Forks" }, thousands(row.forks)),
    el("td", { "data-label": "Last commit" }, humanDate(row.commit)),
    el("td", { class: "num", "data-label": "Score" }, thousands(row.score)),
    el("td", { "data-label": "Version" }, row.version || "—"));
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
        row.path = data.path.replace("{slug}", row.slug);
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

// Opens with the `top` highest-scoring packages (all packages tied with the last one
// too); "show all", "stable only", the sort order and the filter text live in the
// address, so a comparison can be shared as it is seen.
function gridControls(form) {
  const table = document.querySelector("table.grid");
  const status = document.getElementById("grid-status");
  const top = Number(form.dataset.top);
  const headers = [...table.tHead.rows[0].cells].slice(1);
  const description = table.tBodies[0].rows[0];
  headers.forEach((th, i) => {
    th.dataset.col = i + 1;
    th.dataset.text = fold(`${th.textContent} ${description.cells[i + 1].textContent}`);
  });
  const original = new Map([...table.rows].map((row) => [row, [...row.cells]]));
  const byScore = [...headers].sort((a, b) => GRID_ORDER.score(a, b) || GRID_ORDER.name(a, b));
  const cutoff = byScore.length > top ? Number(byScore[top - 1].dataset.score) : -Infinity;
  const best = new Set(byScore.filter((th) => Number(th.dataset.score) >= cutoff));
  const f = form.elements;
  const params = new URLSearchParams(location.search);
  f.sort.value = GRID_ORDER[params.get("sort")] ? params.get("sort") : "score";
  f.stable.checked = params.get("stable") === "1";
  f.all.checked = params.get("all") === "1";
  f.filter.value = params.get("filter") || "";
  form.hidden = false;
  const remember = () => {
    const next = new URLSearchParams();
    if (f.sort.value !== "score") next.set("sort", f.sort.value);
    if (f.stable.checked) next.set("stable", "1");
    if (f.all.checked) next.set("all", "1");
    if (f.filter.value.trim()) next.set("filter", f.filter.value.trim());
    const query = next.toString();
    history.replaceState(null, "", location.pathname + (query ? `?${query}` : ""));
  };
  const render = () => {
    const needle = fold(f.filter.value.trim());
    const order = [...headers].sort((a, b) => GRID_ORDER[f.sort.value](a, b) || GRID_ORDER.name(a, b));
    // A filter looks through every package: what is searched for is shown even if its
    // score would leave it out of the top.
    const visible = order.filter((th) => (!f.stable.checked || "stable" in th.dataset) &&
      (needle ? th.dataset.text.includes(needle) : f.all.checked || best.has(th)));
    const shown = new Set(visible);
    for (const row of table.rows) {
      const cells = original.get(row);
      row.append(...order.map((th) => {
        const cell = cells[th.dataset.col];
        cell.hidden = !shown.has(th);
        return cell;
      }));
    }
    const noun = f.stable.checked ? "stable package" : "package";
    const total = headers.length;
    if (needle) {
      status.textContent = `${plural(visible.length, noun)} of ${total} match “${f.filter.value.trim()}”.`;
    } else if (f.all.checked || best.size === total) {
      status.textContent = `Showing ${plural(visible.length, noun)} of ${total}.`;
    } else {
      const ties = best.size - top;
      status.textContent = `Showing the ${best.size} highest-scoring of ${total} packages` +
        (ties > 0 ? ` (${ties} tied with the ${top}th)` : "") +
        (f.stable.checked ? `, ${visible.length} of them stable` : "") +
        `; “Show all” adds the other ${total - best.size}.`;
    }
  };
  form.addEventListener("input", () => { remember(); render(); });
  form.addEventListener("change", () => { remember(); render(); });
  form.addEventListener("submit", (event) => event.preventDefault());
  render();
}

const gridForm = document.getElementById("grid-controls");
if (gridForm) gridControls(gridForm);
