/* Search in the browser: loads the edition's packed lunr index, answers queries in Chinese,
 * English and pinyin, and shows the results with filters. The query steps mirror
 * policysite/search.py (tokenize, split_syllables, query); tests run both on the same table.
 * Nothing the user types is ever inserted as HTML: results are built with text nodes. */
(function (root) {
  "use strict";

  var MAX_QUERY = 200;
  var TOKEN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z\u00c0-\u024f]+/g;
  var CJK = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var TASK_NUMBER = /^\s*(?:第|task|no\.?|#)?\s*(\d{1,4})\s*(?:项|条)?\s*$/i;

  /** Chinese runs become overlapping two-character pieces; Latin words and numbers stay whole. */
  function tokenize(text) {
    var tokens = [];
    var runs = text.normalize("NFKC").toLowerCase().match(TOKEN) || [];
    runs.forEach(function (run) {
      if (CJK.test(run) && run.length > 1) {
        for (var i = 0; i < run.length - 1; i++) tokens.push(run.slice(i, i + 2));
      } else {
        tokens.push(run);
      }
    });
    return tokens;
  }

  /** Split letters into known pinyin syllables, fewest pieces first; null if impossible. */
  function splitSyllables(word, known) {
    var best = [[]];
    for (var end = 1; end <= word.length; end++) {
      best[end] = null;
      for (var start = Math.max(0, end - 6); start < end; start++) {
        if (best[start] !== null && known.has(word.slice(start, end))) {
          var candidate = best[start].concat([word.slice(start, end)]);
          if (best[end] === null || candidate.length < best[end].length) best[end] = candidate;
        }
      }
    }
    return best[word.length];
  }

  function pinyinPieces(token, known) {
    if (!/^[a-z]+$/.test(token)) return null;
    var pieces = splitSyllables(token, known);
    return pieces && pieces.length > 1 ? pieces : null;
  }

  /** Rebuild lunr's serialized index from the packed form (see policysite/search.py: pack). */
  function unpack(packed) {
    var previous = "";
    var terms = packed.terms.split("\n").map(function (line) {
      previous = previous.slice(0, parseInt(line.charAt(0), 10)) + line.slice(1);
      return previous;
    });
    var fields = packed.fields, refs = packed.refs;
    var perField = fields.map(function () { return refs.map(function () { return []; }); });
    var invertedIndex = new Array(terms.length);
    var documentsWithTerm = new Array(terms.length);
    for (var t = 0; t < terms.length; t++) {
      var posting = { _index: t };
      var count = 0;
      for (var f = 0; f < fields.length; f++) {
        var entry = {}, gaps = packed.postings[t][f], doc = 0, last = null;
        for (var k = 0; k < gaps.length; k++) {
          var gap = gaps[k];
          if (gap < 0) {
            perField[f][last][perField[f][last].length - 1][1] = -gap;
            continue;
          }
          doc += gap;
          last = doc;
          entry[refs[doc]] = {};
          perField[f][doc].push([t, 1]);
          count++;
        }
        posting[fields[f]] = entry;
      }
      invertedIndex[t] = [terms[t], posting];
      documentsWithTerm[t] = count;
    }
    var n = refs.length, k1 = packed.k1, b = packed.b;
    var fieldVectors = [];
    fields.forEach(function (field, f) {
      var total = 0;
      packed.lengths.forEach(function (lengths) { total += lengths[f]; });
      var average = total / n;
      refs.forEach(function (ref, d) {
        var length = packed.lengths[d][f], elements = [];
        perField[f][d].forEach(function (pair) {
          var x = (n - documentsWithTerm[pair[0]] + 0.5) / (documentsWithTerm[pair[0]] + 0.5);
          var idf = Math.log(1 + Math.abs(x)), tf = pair[1];
          var score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / average)) + tf);
          score *= packed.boosts[f];
          elements.push(pair[0], Math.round(score * 1000) / 1000);
        });
        fieldVectors.push([field + "/" + ref, elements]);
      });
    });
    return {
      version: packed.version, fields: fields, fieldVectors: fieldVectors,
      invertedIndex: invertedIndex, pipeline: ["stemmer"]
    };
  }

  /** Refs of the results, best first: task number, then all terms required, else any term. */
  function query(lunr, index, text, known, refs) {
    text = text.slice(0, MAX_QUERY).normalize("NFKC");
    var results = [], seen = new Set();
    var number = TASK_NUMBER.exec(text);
    if (number && (!refs || refs.has("t" + parseInt(number[1], 10)))) {
      results.push("t" + parseInt(number[1], 10));
      seen.add(results[0]);
    }
    var terms = [];
    tokenize(text).forEach(function (token) {
      if (terms.indexOf(token) < 0 && lunr.stopWordFilter(token) !== undefined) terms.push(token);
    });
    terms = terms.slice(0, 20);
    if (!terms.length) return results;
    var variants = [terms], split = [];
    terms.forEach(function (token) { split.push.apply(split, pinyinPieces(token, known) || [token]); });
    if (split.join(" ") !== terms.join(" ")) variants.push(split);

    function run(tokens, presence) {
      return index.query(function (q) {
        tokens.forEach(function (token) { q.term(token, { presence: presence }); });
      });
    }
    var found = new Map();
    variants.forEach(function (variant) {
      run(variant, lunr.Query.presence.REQUIRED).forEach(function (match) {
        found.set(match.ref, Math.max(found.get(match.ref) || 0, match.score));
      });
    });
    if (!found.size && terms.length > 1) {
      run(terms, lunr.Query.presence.OPTIONAL).forEach(function (match) { found.set(match.ref, match.score); });
    }
    Array.from(found.entries()).sort(function (a, b) {
      return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    }).forEach(function (entry) {
      if (!seen.has(entry[0])) results.push(entry[0]);
    });
    return results;
  }

  var core = { tokenize: tokenize, splitSyllables: splitSyllables, unpack: unpack, query: query };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = core;
    return;
  }
  root.policySearch = core;

  /* ---------- the search page ---------- */

  var app = document.getElementById("search-app");
  if (!app) return;
  var strings = JSON.parse(document.getElementById("search-strings").textContent);
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");
  var chapterFilter = document.getElementById("filter-chapter");
  var agencyFilter = document.getElementById("filter-agency");
  var state = null;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function params() {
    var search = new URLSearchParams(window.location.search);
    return { q: search.get("q") || "", chapter: search.get("chapter") || "", agency: search.get("agency") || "" };
  }

  function stem(word) {
    return root.lunr.stemmer(new root.lunr.Token(word)).toString();
  }

  /** Ranges of text to highlight: each Chinese run or Latin word of the query, or a word with its stem. */
  function highlights(text, q) {
    var lower = text.toLowerCase(), ranges = [];
    var words = q.normalize("NFKC").toLowerCase().match(TOKEN) || [];
    var stems = new Set(words.filter(function (w) { return !CJK.test(w); }).map(stem));
    words.forEach(function (word) {
      if (!CJK.test(word)) return;
      var pieces = word.length > 1 && lower.indexOf(word) < 0 ? tokenize(word) : [word];
      pieces.forEach(function (piece) {
        for (var at = lower.indexOf(piece); at >= 0; at = lower.indexOf(piece, at + piece.length)) {
          ranges.push([at, at + piece.length]);
        }
      });
    });
    var latin = /[0-9a-z\u00c0-\u024f]+/g, match;
    while ((match = latin.exec(lower)) !== null) {
      if (stems.has(stem(match[0]))) ranges.push([match.index, match.index + match[0].length]);
    }
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var prev = merged[merged.length - 1];
      if (prev && r[0] <= prev[1]) prev[1] = Math.max(prev[1], r[1]); else merged.push(r.slice());
    });
    return merged;
  }

  /** Text from start to end with <mark> around every match, as DOM nodes appended to parent. */
  function appendMarked(parent, text, ranges, start, end) {
    var at = start;
    ranges.forEach(function (r) {
      if (r[1] <= start || r[0] >= end) return;
      var from = Math.max(r[0], at), to = Math.min(r[1], end);
      if (from > at) parent.appendChild(document.createTextNode(text.slice(at, from)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(from, to);
      parent.appendChild(mark);
      at = to;
    });
    if (at < end) parent.appendChild(document.createTextNode(text.slice(at, end)));
    return parent;
  }

  /** A short passage around the first match, every match marked. */
  function snippet(text, q) {
    var p = document.createElement("p");
    p.className = "snippet";
    var ranges = highlights(text, q);
    var start = ranges.length ? Math.max(0, ranges[0][0] - 40) : 0;
    var end = Math.min(text.length, start + 160);
    if (start > 0) p.appendChild(document.createTextNode("…"));
    appendMarked(p, text, ranges, start, end);
    if (end < text.length) p.appendChild(document.createTextNode("…"));
    return p;
  }

  function option(select, value, label, selected) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    o.selected = selected;
    select.appendChild(o);
  }

  function fillFilter(select, entries, counts, current, allLabel) {
    select.textContent = "";
    option(select, "", allLabel, !current);
    entries.forEach(function (entry) {
      var count = counts.get(String(entry[0])) || 0;
      if (count || String(entry[0]) === current) {
        option(select, entry[0], format(strings.filter_option, { label: entry[1], n: count }),
               String(entry[0]) === current);
      }
    });
  }

  function render() {
    var p = params();
    input.value = p.q;
    list.textContent = "";
    if (!p.q.trim()) {
      status.textContent = strings.prompt;
      chapterFilter.parentNode.hidden = agencyFilter.parentNode.hidden = true;
      return;
    }
    var refs = query(root.lunr, state.index, p.q, state.known, state.refSet);
    var chapterCounts = new Map(), agencyCounts = new Map(), shown = [];
    refs.forEach(function (ref) {
      var doc = state.docs.get(ref);
      var inChapter = !p.chapter || String(doc[3]) === p.chapter;
      var withAgency = !p.agency || doc[4].indexOf(p.agency) >= 0;
      if (withAgency && doc[3] !== null) chapterCounts.set(String(doc[3]), (chapterCounts.get(String(doc[3])) || 0) + 1);
      if (inChapter) doc[4].forEach(function (slug) { agencyCounts.set(slug, (agencyCounts.get(slug) || 0) + 1); });
      if (inChapter && withAgency) shown.push(ref);
    });
    fillFilter(chapterFilter, state.payload.chapters, chapterCounts, p.chapter, strings.all_chapters);
    fillFilter(agencyFilter, state.payload.agencies.map(function (a) { return [a[0], a[1]]; }),
               agencyCounts, p.agency, strings.all_agencies);
    chapterFilter.parentNode.hidden = agencyFilter.parentNode.hidden = !refs.length;
    status.textContent = !shown.length ? strings.no_results
      : shown.length === 1 ? strings.results_one : format(strings.results, { n: shown.length });
    shown.slice(0, 100).forEach(function (ref) {
      var doc = state.docs.get(ref);
      var li = document.createElement("li");
      li.className = "result result-" + doc[0];
      var a = document.createElement("a");
      a.href = state.base + doc[2];
      appendMarked(a, doc[1], highlights(doc[1], p.q), 0, doc[1].length);
      var heading = document.createElement("h2");
      heading.appendChild(a);
      li.appendChild(heading);
      if (doc[5]) li.appendChild(snippet(doc[5], p.q));
      if (doc[0] === "task" && doc[4].length) {
        var agencies = document.createElement("p");
        agencies.className = "result-agencies";
        agencies.textContent = strings.responsible + ": " + doc[4].map(function (slug) {
          return state.agencyNames.get(slug);
        }).join(strings.list_separator);
        li.appendChild(agencies);
      }
      list.appendChild(li);
    });
  }

  function navigate(changes) {
    var p = params();
    Object.keys(changes).forEach(function (key) { p[key] = changes[key]; });
    var search = new URLSearchParams();
    ["q", "chapter", "agency"].forEach(function (key) { if (p[key]) search.set(key, p[key]); });
    history.pushState(null, "", "?" + search.toString());
    render();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    navigate({ q: input.value, chapter: "", agency: "" });
  });
  chapterFilter.addEventListener("change", function () { navigate({ chapter: chapterFilter.value }); });
  agencyFilter.addEventListener("change", function () { navigate({ agency: agencyFilter.value }); });
  window.addEventListener("popstate", function () { if (state) render(); });

  /* Arrow keys move from the box through the results; Enter follows the focused result. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("h2 a"));
    var at = links.indexOf(document.activeElement);
    if (document.activeElement === input && event.key === "ArrowDown" && links.length) {
      links[0].focus();
    } else if (at >= 0) {
      if (event.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
      if (event.key === "ArrowUp") (at > 0 ? links[at - 1] : input).focus();
    } else {
      return;
    }
    event.preventDefault();
  });

  status.textContent = strings.loading;
  app.hidden = false;
  fetch(app.getAttribute("data-index")).then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }).then(function (payload) {
    var docs = new Map();
    payload.index.refs.forEach(function (ref, i) { docs.set(ref, payload.docs[i]); });
    state = {
      payload: payload,
      index: root.lunr.Index.load(unpack(payload.index)),
      docs: docs,
      refSet: new Set(payload.index.refs),
      known: new Set(payload.syllables),
      agencyNames: new Map(payload.agencies.map(function (a) { return [a[0], a[1]]; })),
      base: app.getAttribute("data-base")
    };
    core.run = function (text) { return query(root.lunr, state.index, text, state.known, state.refSet); };
    render();
    if (root.performance && performance.mark) performance.mark("search-ready");
    document.documentElement.setAttribute("data-search-ready", "");
  }).catch(function () {
    status.textContent = strings.failed;
  });
})(typeof self !== "undefined" ? self : this);
