/* Search in the browser. The page loads a small head (policysite/search.py: search_files), then, for
 * each query, the pieces of the lunr index its terms live in and the text of the results it shows,
 * each a script (so that search works from a folder opened from disk). Text is read and queries are
 * run step for step as policysite/search_text.py and policysite/search.py do; the tests run both on
 * the same judged table. Nothing the user types is ever inserted as HTML: results are text nodes. */
(function (root) {
  "use strict";

  var MAX_QUERY = 200, MAX_TERMS = 20, TYPO_LENGTH = 5;
  var LUNR_RANKS = 100;  /* matches lunr itself ranks; past that many, the rest are ranked by its formula here */
  var TOKEN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z\u00c0-\u024f]+/g;
  var CJK = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}/g;
  var TASK_NUMBER = /^\s*(?:第|task|no\.?|#)?\s*(\d{1,4})\s*(?:项|条)?\s*$/i;
  var SPELLING = [  /* search_text.SPELLING, in the same order */
    [/sulph/g, "sulf"],
    [/isation/g, "ization"],
    [/^(.{2,})is(e|ed|es|ing|er|ers)$/, "$1iz$2"],
    [/^(.{2,})ys(e|ed|es|ing)$/, "$1yz$2"],
    [/^(colo|labo|behavio|favo|hono|neighbo|harbo|vapo|flavo|humo|rumo|vigo|endeavo|odo|armo|saviou?|tumo)ur/, "$1r"],
    [/programme/g, "program"],
    [/(cent|met|lit|fib|theat|calib|lust|somb|spect|sab|meag)re(s)?$/, "$1er$2"],
    [/(cent|fib|theat)red$/, "$1ered"],
    [/(catal|dial|anal|prol|epil|monol)ogue(s)?$/, "$1og$2"],
    [/^(label|model|travel|fuel|level|cancel|counsel|signal|total|channel|marshal|equal|tunnel|panel|jewel|dial)l(ed|ing|er|ers)$/, "$1$2"],
    [/^aluminium/, "aluminum"],
    [/^(licen|defen|offen|preten)ce/, "$1se"],
    [/^practis/, "practic"],
    [/^(judg|acknowledg|abridg)ement/, "$1ment"],
    [/^ageing/, "aging"],
    [/^(fulfil|enrol|instal)(ment|s)?$/, "$1l$2"],
    [/^mould/, "mold"],
    [/^grey/, "gray"],
    [/^tyre/, "tire"],
    [/^storey/, "story"],
    [/^haem/, "hem"],
    [/^anaes/, "anes"],
    [/^paed/, "ped"],
    [/^oestr/, "estr"],
    [/^manoeuvr/, "maneuver"],
    [/^plough/, "plow"],
    [/^sceptic/, "skeptic"],
    [/^draught/, "draft"]
  ];

  function foldSpelling(word) {
    SPELLING.forEach(function (rule) { word = word.replace(rule[0], rule[1]); });
    return word;
  }

  /** NFKC, lower case, traditional characters made simplified (t2s: character → character). */
  function normalize(text, t2s) {
    var lower = text.normalize("NFKC").toLowerCase(), out = "";
    for (var i = 0; i < lower.length; i++) out += t2s.get(lower.charAt(i)) || lower.charAt(i);
    return out;
  }

  /** Chinese runs become overlapping two-character pieces; Latin words are folded to American spelling. */
  function tokenize(text, t2s) {
    var tokens = [];
    (normalize(text, t2s).match(TOKEN) || []).forEach(function (run) {
      if (CJK.test(run) && run.length > 1) {
        for (var i = 0; i < run.length - 1; i++) tokens.push(run.slice(i, i + 2));
      } else {
        tokens.push(CJK.test(run) ? run : foldSpelling(run));
      }
    });
    return tokens;
  }

  /** A query's tokens, each with whether a result must hold it (search_text.query_tokens). */
  function queryTokens(text, t2s) {
    var order = [], must = new Map();
    function add(token, required) {
      if (!must.has(token)) order.push(token);
      must.set(token, must.get(token) || required);
    }
    (normalize(text, t2s).match(TOKEN) || []).forEach(function (run) {
      if (CJK.test(run) && run.length > 1) {
        for (var i = 0; i < run.length - 1; i++) add(run.slice(i, i + 2), i % 2 === 0);
      } else {
        add(CJK.test(run) ? run : foldSpelling(run), true);
      }
    });
    return order.map(function (token) { return [token, must.get(token)]; });
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

  function pairs(sounds) {
    var out = [];
    for (var i = 0; i + 1 < sounds.length; i++) out.push(sounds[i] + sounds[i + 1]);
    return out;
  }

  /** The query's words read as pinyin, as search_text.pinyin_query does; null if none reads differently. */
  function pinyinQuery(words, known) {
    var out = [], run = [], changed = false;
    function flush() {
      if (run.length > 1) { out.push.apply(out, pairs(run)); changed = true; }
      if (run.length === 1) out.push(run[0]);
      run = [];
    }
    words.forEach(function (word) {
      var pieces = /^[a-z]+$/.test(word) ? splitSyllables(word, known) : null;
      if (pieces && pieces.length === 1) { run.push(word); return; }
      flush();
      if (pieces) {
        out.push.apply(out, pairs(pieces));
        changed = changed || pieces.length > 2;
      } else {
        out.push(word);
      }
    });
    flush();
    return changed ? out : null;
  }

  /** Every word one deletion, substitution, insertion or swap of neighbours away. */
  function edits1(word) {
    var letters = "abcdefghijklmnopqrstuvwxyz", out = new Set();
    for (var i = 0; i <= word.length; i++) {
      var a = word.slice(0, i), b = word.slice(i);
      if (b) out.add(a + b.slice(1));
      if (b.length > 1) out.add(a + b[1] + b[0] + b.slice(2));
      for (var k = 0; k < 26; k++) {
        if (b) out.add(a + letters[k] + b.slice(1));
        out.add(a + letters[k] + b);
      }
    }
    out.delete(word);
    return Array.from(out);
  }

  /** search.edit_rank: 0 a letter left out, 1 two swapped, 2 one wrong, 3 one extra. */
  function editRank(typed, word) {
    if (word.length > typed.length) return 0;
    if (word.length < typed.length) return 3;
    return word.split("").sort().join("") === typed.split("").sort().join("") ? 1 : 2;
  }

  function fnv1a(text) {
    var value = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return value >>> 0;
  }

  function expand(runs) {
    var out = [];
    runs.forEach(function (run) { for (var i = 0; i < run[1]; i++) out.push(run[0]); });
    return out;
  }

  /** The index as far as it is loaded: load(name) resolves with a file's data (a script of the head's folder);
   * lunr itself ranks up to ranks matches of a query (LUNR_RANKS unless given). */
  function Engine(lunr, head, load, ranks) {
    this.lunr = lunr;
    this.ranks = ranks || LUNR_RANKS;
    this.head = head;
    this.load = load;
    this.t2s = new Map();
    for (var i = 0; i + 1 < head.t2s.length; i += 2) this.t2s.set(head.t2s[i], head.t2s[i + 1]);
    this.known = new Set(head.syllables);
    this.kind = expand(head.kind).map(function (k) { return head.kinds[k]; });
    this.weight = expand(head.kind).map(function (k) { return head.weights[k]; });
    this.doc = expand(head.doc);
    this.chapter = expand(head.chapter);
    this.number = [];
    var number = this.number;
    head.number.forEach(function (run) { for (var i = 0; i < run[1]; i++) number.push(run[0] + i * run[2]); });
    this.related = new Map(head.related.map(function (r) { return [r[0], r.slice(1)]; }));
    this.shards = new Map();
    this.postings = Object.create(null);
    this.words = null;
  }

  Engine.prototype.stem = function (word) {
    return this.lunr.stemmer(new this.lunr.Token(word)).toString();
  };

  /** The piece of the index (of shards) that holds a word, as the index writes it: stemmed. */
  function shardOf(lunr, word, shards) {
    return fnv1a(lunr.stemmer(new lunr.Token(word)).toString()) % shards;
  }

  /** Load the pieces of the index that hold these words. */
  Engine.prototype.ensure = function (words) {
    var self = this, wanted = [];
    words.forEach(function (word) {
      var shard = shardOf(self.lunr, word, self.head.shards);
      if (!self.shards.has(shard)) {
        self.shards.set(shard, self.load("s" + shard).then(function (data) { self.add(data); }));
      }
      wanted.push(self.shards.get(shard));
    });
    return Promise.all(wanted);
  };

  /** Keep a piece's postings as they came; a term's are decoded when a query first asks for them. */
  Engine.prototype.add = function (piece) {
    for (var t = 0; t < piece.t.length; t++) {
      if (!(piece.t[t] in this.postings)) this.postings[piece.t[t]] = piece.p[t];
    }
  };

  /** A term's postings, per field: the items holding it (increasing) and lunr's score for each; or null. */
  Engine.prototype.postingsOf = function (stem) {
    var raw = this.postings[stem];
    if (!raw || raw.decoded) return raw || null;
    var decoded = raw.map(function (flat) {
      var refs = new Int32Array(flat.length / 2), scores = new Float64Array(flat.length / 2);
      for (var k = 0, ref = 0; k < flat.length; k += 2) {
        ref += flat[k];
        refs[k / 2] = ref;
        scores[k / 2] = flat[k + 1] / 1000;
      }
      return [refs, scores];
    });
    decoded.decoded = true;
    this.postings[stem] = decoded;
    return decoded;
  };

  Engine.prototype.has = function (word) {
    return this.stem(word) in this.postings;
  };

  /**
   * Run lunr's query on the items that can match: a lunr Index is made of the query's own terms,
   * holding only the items that have every required term (or, with none required, at least the share
   * of the terms given, at least one), and
   * its vectors only those terms' scores. lunr's scores are dot products over the query's terms,
   * so they are the scores of the whole index (policysite/search.py queries that one). Where more
   * items match than lunr ranks quickly, the others are ranked here by the same formula.
   */
  Engine.prototype.query = function (clauses, share) {  /* a promise of lunr's matches */
    var lunr = this.lunr, fields = this.head.fields, self = this;
    var stems = [], required = new Set();
    clauses.forEach(function (clause) {
      var stem = self.stem(clause[0]);
      if (stems.indexOf(stem) < 0) stems.push(stem);
      if (clause[1]) required.add(stem);
    });
    stems.sort();
    var count = new Int32Array(this.head.count), seen = new Int32Array(this.head.count).fill(-1);
    var needed = required.size || Math.max(1, Math.ceil(stems.length * (share || 0)));
    for (var s = 0; s < stems.length; s++) {
      if (required.size && !required.has(stems[s])) continue;
      var postings = this.postingsOf(stems[s]);
      if (!postings) {
        if (required.size) return Promise.resolve([]);  /* a required term no item holds */
        continue;
      }
      for (var f = 0; f < postings.length; f++) {
        var refs = postings[f][0];
        for (var k = 0; k < refs.length; k++) {
          if (seen[refs[k]] !== s) { seen[refs[k]] = s; count[refs[k]]++; }
        }
      }
    }
    var matches = [];
    for (var ref = 0; ref < count.length; ref++) if (count[ref] >= needed) matches.push(ref);
    if (matches.length <= this.ranks) return Promise.resolve(this.lunrQuery(clauses, stems, count, needed));
    /* Many matches: rank them by lunr's formula here, let lunr rank the first ones (in a later task,
     * so that neither task is long), keep the rest. */
    var scores = this.scores(clauses, stems, count, needed), weight = this.weight, self = this;
    matches.sort(function (a, b) { return scores[b] * weight[b] - scores[a] * weight[a] || a - b; });
    var top = new Int32Array(count.length);
    matches.slice(0, this.ranks).forEach(function (ref) { top[ref] = 1; });
    return later().then(function () {
      return self.lunrQuery(clauses, stems, top, 1).concat(matches.slice(self.ranks).map(function (ref) {
        return { ref: String(ref), score: scores[ref] };
      }));
    });
  };

  /** lunr's scores of the items whose count reaches needed: per field, the query vector's dot product
   * with the item's, over the query vector's length (each clause adds 1 to its term's weight). */
  Engine.prototype.scores = function (clauses, stems, count, needed) {
    var self = this, weights = new Map(), scores = new Float64Array(count.length);
    clauses.forEach(function (clause) {
      var stem = self.stem(clause[0]);
      if (self.postingsOf(stem)) weights.set(stem, (weights.get(stem) || 0) + 1);
    });
    var length = Math.sqrt(Array.from(weights.values()).reduce(function (sum, w) { return sum + w * w; }, 0));
    stems.forEach(function (stem) {
      var postings = self.postingsOf(stem), w = weights.get(stem);
      if (!postings) return;
      postings.forEach(function (field) {
        for (var k = 0; k < field[0].length; k++) {
          if (count[field[0][k]] >= needed) scores[field[0][k]] += w * field[1][k] / length;
        }
      });
    });
    return scores;
  };

  /** lunr's own query, on an Index of the query's terms and the items whose count reaches needed. */
  Engine.prototype.lunrQuery = function (clauses, stems, count, needed) {
    var lunr = this.lunr, fields = this.head.fields, self = this;
    stems = stems.filter(function (stem) { return self.postingsOf(stem); });  /* as lunr knows no others */
    var inverted = Object.create(null), elements = Object.create(null);
    stems.forEach(function (stem, index) {
      var posting = { _index: index };
      fields.forEach(function (field, f) {
        var refs = {}, found = self.postingsOf(stem) ? self.postingsOf(stem)[f] : [[], []];
        for (var k = 0; k < found[0].length; k++) {
          var ref = found[0][k];
          if (count[ref] < needed) continue;
          refs[ref] = {};
          (elements[field + "/" + ref] = elements[field + "/" + ref] || []).push(index, found[1][k]);
        }
        posting[field] = refs;
      });
      inverted[stem] = posting;
    });
    var vectors = Object.create(null);
    Object.keys(elements).forEach(function (key) { vectors[key] = new lunr.Vector(elements[key]); });
    var index = new lunr.Index({
      invertedIndex: inverted, fieldVectors: vectors, fields: fields,
      tokenSet: lunr.TokenSet.fromArray(stems), pipeline: lunr.Pipeline.load(["stemmer"])
    });
    return index.query(function (q) {
      clauses.forEach(function (clause) {
        q.term(clause[0], { presence: clause[1] ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL });
      });
    });
  };

  Engine.prototype.vocabulary = function () {
    var self = this;
    return this.words ? Promise.resolve(this.words)
      : this.load("words").then(function (words) { self.words = words; return words; });
  };

  /** search.Searcher.correct: the likeliest word of the vocabulary one edit away, or null. */
  Engine.prototype.correct = function (word) {
    var self = this;
    return this.vocabulary().then(function (words) {
      var candidates = edits1(word).filter(function (w) { return Object.prototype.hasOwnProperty.call(words, w); });
      return self.ensure(candidates).then(function () {
        candidates = candidates.filter(function (w) { return self.has(w); });
        candidates.sort(function (a, b) {
          return editRank(word, a) - editRank(word, b) || words[b] - words[a] || (a < b ? -1 : a > b ? 1 : 0);
        });
        return candidates.length ? candidates[0] : null;
      });
    });
  };

  /** Run a function in a later task, at once (not setTimeout's clamped 4 ms): a message to oneself. */
  var tick = typeof setImmediate === "function" ? setImmediate : (function () {
    var channel = new MessageChannel(), queue = [];
    channel.port1.onmessage = function () { queue.shift()(); };
    return function (fn) { queue.push(fn); channel.port2.postMessage(null); };
  })();

  /** A promise that settles in a later task: long work is cut where the browser may paint in between. */
  function later(value) {
    return new Promise(function (resolve) { tick(function () { resolve(value); }); });
  }

  /** The tokens of a query that are searched: no stop words, at most MAX_TERMS. */
  function searchedTokens(lunr, text, t2s) {
    return queryTokens(text, t2s).filter(function (t) {
      return lunr.stopWordFilter(t[0]) !== undefined;
    }).slice(0, MAX_TERMS);
  }

  /** A query's results, best first (search.Searcher.query, step for step): {refs, partial, corrected}. */
  function search(engine, text) {
    var lunr = engine.lunr;
    text = text.slice(0, MAX_QUERY);
    var first = [], number = TASK_NUMBER.exec(text.normalize("NFKC"));
    if (number) {
      for (var i = 0; i < engine.kind.length; i++) {
        if (engine.kind[i] === "task" && engine.number[i] === parseInt(number[1], 10)) first.push(i);
      }
      text = number[1];  /* then what holds the number (第 and 项 are not searched) */
    }
    var tokens = searchedTokens(lunr, text, engine.t2s);
    var words = tokens.map(function (t) { return t[0]; }), corrected = [];
    return engine.ensure(words).then(function () {
      return words.reduce(function (done, word, i) {
        return done.then(function () {
          if (word.length < TYPO_LENGTH || !/^[a-z]+$/.test(word) || engine.has(word) ||
              splitSyllables(word, engine.known) !== null) return null;
          return engine.correct(word).then(function (better) {
            if (better) { words[i] = better; corrected.push([word, better]); }
          });
        });
      }, Promise.resolve());
    }).then(function () {
      var variants = words.length ? [words.map(function (w, i) { return [w, tokens[i][1]]; })] : [];
      var pinyin = words.length ? pinyinQuery(words, engine.known) : null;
      if (pinyin) variants.push(pinyin.map(function (w) { return [w, true]; }));
      return engine.ensure(pinyin || []).then(function () { return variants; });
    }).then(function (variants) {
      var found = new Map();
      function add(matches) {
        matches.forEach(function (match) {
          var ref = parseInt(match.ref, 10);
          found.set(ref, Math.max(found.get(ref) || 0, match.score));
        });
      }
      return variants.reduce(function (done, variant) {
        return done.then(function () { return engine.query(variant); }).then(add);
      }, later()).then(function () {
        if (found.size || words.length < 2) return false;
        /* looser: the items holding at least half the words */
        return engine.query(words.map(function (w) { return [w, false]; }), 0.5).then(add).then(function () {
          return found.size > 0;
        });
      }).then(function (partial) { return [found, partial]; });
    }).then(function (result) {
      var found = result[0], partial = result[1];
      var seen = new Set(first);
      var rest = Array.from(found.entries()).map(function (entry) {
        return [entry[1] * engine.weight[entry[0]], entry[0]];
      }).sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      rest.forEach(function (pair) { if (!seen.has(pair[1])) first.push(pair[1]); });
      return { refs: first, partial: partial, corrected: corrected };
    });
  }

  var core = {
    foldSpelling: foldSpelling, normalize: normalize, tokenize: tokenize, queryTokens: queryTokens,
    splitSyllables: splitSyllables, pinyinQuery: pinyinQuery, edits1: edits1, fnv1a: fnv1a,
    Engine: Engine, search: search
  };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = core;
    return;
  }
  root.policySearch = core;

  /* ---------- loading files: each is a script that hands its data to receive() ---------- */

  var waiting = new Map();
  core.receive = function (name, data) {
    var entry = waiting.get(name);
    if (entry) entry.resolve(data);
  };

  function loader(folder) {
    return function (name) {
      if (waiting.has(name)) return waiting.get(name).promise;
      var entry = {};
      entry.promise = new Promise(function (resolve, reject) {
        entry.resolve = resolve;
        var script = document.createElement("script");
        script.src = folder + name + ".js";
        script.async = true;
        script.onerror = function () { waiting.delete(name); reject(new Error(name)); };
        document.head.appendChild(script);
      });
      waiting.set(name, entry);
      return entry.promise;
    };
  }

  /* ---------- the search page ---------- */

  var app = document.getElementById("search-app");
  if (!app) return;
  var strings = JSON.parse(document.getElementById("search-strings").textContent);
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");
  var more = document.getElementById("more");
  var filters = {
    doc: document.getElementById("filter-document"),
    chapter: document.getElementById("filter-chapter"),
    agency: document.getElementById("filter-agency")
  };
  var lang = app.getAttribute("data-lang"), base = app.getAttribute("data-base");
  var headScript = document.getElementById("search-head");  /* runs right after this script (defer) */
  var headUrl = headScript.getAttribute("src"), folder = headUrl.slice(0, headUrl.lastIndexOf("/") + 1);
  var PAGE = 10;
  var engine = null, facets = null, load = null, shownCount = PAGE, current = null, generation = 0;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function params() {
    var search = new URLSearchParams(window.location.search);
    return {
      q: search.get("q") || "", doc: search.has("doc") ? search.get("doc") : app.getAttribute("data-doc") || "",
      chapter: search.get("chapter") || "", agency: search.get("agency") || ""
    };
  }

  function stem(word) {
    return root.lunr.stemmer(new root.lunr.Token(foldSpelling(word))).toString();
  }

  /** Ranges of text to mark: each Chinese run of the query (or its pieces), each word sharing a stem. */
  function highlights(text, q) {
    var lower = normalize(text, engine.t2s), ranges = [];
    if (lower.length !== text.length) lower = text.toLowerCase();
    var words = normalize(q, engine.t2s).match(TOKEN) || [];
    var stems = new Set(words.filter(function (w) { return !CJK.test(w); }).map(stem));
    words.forEach(function (word) {
      if (!CJK.test(word)) return;
      var pieces = word.length > 1 && lower.indexOf(word) < 0 ? tokenize(word, engine.t2s) : [word];
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

  /** A passage around the first match, cut at spaces where the text has them, every match marked. */
  function snippet(text, q) {
    var p = document.createElement("p");
    p.className = "snippet";
    var ranges = highlights(text, q);
    var start = ranges.length ? Math.max(0, ranges[0][0] - 60) : 0;
    var end = Math.min(text.length, start + 220);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space >= 0 && space < (ranges.length ? ranges[0][0] : end)) start = space + 1;
    }
    if (end < text.length) {
      var before = text.lastIndexOf(" ", end);
      if (before > start + 80) end = before;
    }
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

  function fillFilter(select, entries, counts, currentValue, allLabel) {
    if (!select) return;
    select.textContent = "";
    option(select, "", allLabel, !currentValue);
    entries.forEach(function (entry) {
      var count = counts.get(String(entry[0])) || 0;
      if (count || String(entry[0]) === currentValue) {
        option(select, entry[0], format(strings.filter_option, { label: entry[1], n: count }),
               String(entry[0]) === currentValue);
      }
    });
    select.disabled = false;
  }

  /** The results that pass the filters, and the counts each filter would show. */
  function narrow(refs, p) {
    var docs = engine.head.docs;
    var docIndex = docs.length === 1 ? 0 : p.doc ? docs.indexOf(p.doc) : -1;
    var byAgency = facets ? facets.byAgency : null;
    var counts = { doc: new Map(), chapter: new Map(), agency: new Map() }, shown = [];
    var agencySet = p.agency && byAgency ? byAgency[facets.agencyIndex.get(p.agency)] || new Set() : null;
    refs.forEach(function (ref) {
      var alsoIn = engine.related.get(ref) || [];
      var inDoc = !p.doc || engine.doc[ref] === docIndex || alsoIn.indexOf(docIndex) >= 0;
      var inChapter = !p.chapter || String(engine.chapter[ref]) === p.chapter;
      var withAgency = !agencySet || agencySet.has(ref);
      if (inChapter && withAgency) {
        (engine.doc[ref] >= 0 ? [engine.doc[ref]] : alsoIn).forEach(function (d) {
          counts.doc.set(docs[d], (counts.doc.get(docs[d]) || 0) + 1);
        });
      }
      if (inDoc && withAgency && engine.chapter[ref]) {
        counts.chapter.set(String(engine.chapter[ref]), (counts.chapter.get(String(engine.chapter[ref])) || 0) + 1);
      }
      if (inDoc && inChapter && facets) {
        (facets.agenciesOf.get(ref) || []).forEach(function (a) {
          var key = facets.agencies[a][0];
          counts.agency.set(key, (counts.agency.get(key) || 0) + 1);
        });
      }
      if (inDoc && inChapter && withAgency) shown.push(ref);
    });
    return { shown: shown, counts: counts, docIndex: docIndex };
  }

  function fillFilters(p, narrowed) {
    if (!facets) return;
    fillFilter(filters.doc, facets.documents, narrowed.counts.doc, p.doc, strings.all_documents);
    var chapters = narrowed.docIndex >= 0 ? facets.chapters[narrowed.docIndex] : [];
    fillFilter(filters.chapter, chapters, narrowed.counts.chapter, p.chapter, strings.all_chapters);
    filters.chapter.disabled = narrowed.docIndex < 0;
    fillFilter(filters.agency, facets.agencies, narrowed.counts.agency, p.agency, strings.all_agencies);
  }

  function resultItem(ref, data, q) {
    var li = document.createElement("li");
    li.className = "result result-" + engine.kind[ref];
    var kind = document.createElement("p");
    kind.className = "result-kind";
    kind.textContent = [strings["kind_" + engine.kind[ref]], data[1]].filter(Boolean).join(" · ");
    var a = document.createElement("a");
    a.href = base + data[2];
    appendMarked(a, data[0], highlights(data[0], q), 0, data[0].length);
    var heading = document.createElement("h2");
    heading.appendChild(a);
    li.appendChild(heading);
    li.appendChild(kind);
    if (data[3]) li.appendChild(snippet(data[3], q));
    return li;
  }

  /** Show the current results: the status line, the filters, and the first shownCount results' text. */
  function show() {
    var p = params(), mine = generation;
    if (!current) return Promise.resolve();
    var narrowed = narrow(current.found.refs, p);
    fillFilters(p, narrowed);
    var shown = narrowed.shown, messages = [];
    if (current.found.corrected.length) {
      messages.push(current.found.corrected.map(function (c) {
        return format(strings.corrected, { typed: c[0], searched: c[1] });
      }).join(" "));
    }
    if (!shown.length) messages.push(strings.no_results);
    else if (current.found.partial) messages.push(format(strings.partial, { n: shown.length }));
    else messages.push(shown.length === 1 ? strings.results_one : format(strings.results, { n: shown.length }));
    var page = shown.slice(0, shownCount), chunk = engine.head.chunk;
    var texts = page.map(function (ref) { return load(lang + "/" + Math.floor(ref / chunk)); });  /* all asked at once */
    var started = false;
    function start() {  /* the old list goes when the first new result (or the news of none) is ready */
      if (started) return;
      started = true;
      list.textContent = "";
      status.textContent = messages.join(" ");
      shownFirst();
    }
    return page.reduce(function (done, ref, i) {  /* each result as soon as it and those before it are in */
      return done.then(function () { return texts[i]; }).then(function (data) {
        if (mine !== generation) return;
        start();
        list.appendChild(resultItem(ref, data[ref % chunk], p.q));
      });
    }, Promise.resolve()).then(function () {
      if (mine !== generation) return;
      start();
      more.hidden = shown.length <= shownCount;
      app.setAttribute("data-shown", p.q);
      app.removeAttribute("aria-busy");
    });
  }

  /** The first results are on the page: the mark the benchmark measures, once. */
  function shownFirst() {
    if (root.performance && performance.mark && !performance.getEntriesByName("search-ready").length) {
      performance.mark("search-ready");
    }
  }

  function render() {
    var p = params(), mine = ++generation;
    app.setAttribute("aria-busy", "true");
    input.value = p.q;
    shownCount = PAGE;
    if (!p.q.trim()) {
      current = null;
      list.textContent = "";
      more.hidden = true;
      status.textContent = strings.prompt;
      app.setAttribute("data-shown", p.q);
      app.removeAttribute("aria-busy");
      return Promise.resolve();
    }
    return search(engine, p.q).then(function (found) {
      if (mine !== generation) return;
      current = { q: p.q, found: found };
      return show();
    });
  }

  function loadFacets() {
    return load("facets." + lang).then(later).then(function (data) {
      var byAgency = data.items.map(function (gaps) {
        var set = new Set(), at = 0;
        gaps.forEach(function (gap) { at += gap; set.add(at); });
        return set;
      });
      var agenciesOf = new Map();
      byAgency.forEach(function (set, agency) {
        set.forEach(function (ref) { (agenciesOf.get(ref) || agenciesOf.set(ref, []).get(ref)).push(agency); });
      });
      facets = { documents: data.documents, chapters: data.chapters, agencies: data.agencies,
                 agencyIndex: new Map(data.agencies.map(function (a, i) { return [a[0], i]; })),
                 byAgency: byAgency, agenciesOf: agenciesOf };
      return later().then(show);
    });
  }

  function navigate(changes) {
    var p = params();
    Object.keys(changes).forEach(function (key) { p[key] = changes[key]; });
    var search = new URLSearchParams();
    ["q", "doc", "chapter", "agency"].forEach(function (key) { if (p[key]) search.set(key, p[key]); });
    if (!p.doc && app.getAttribute("data-doc")) search.set("doc", "");
    history.pushState(null, "", "?" + search.toString());
    return render();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    navigate({ q: input.value, chapter: "", agency: "" });
  });
  if (filters.doc) filters.doc.addEventListener("change", function () { navigate({ doc: filters.doc.value, chapter: "" }); });
  filters.chapter.addEventListener("change", function () { navigate({ chapter: filters.chapter.value }); });
  filters.agency.addEventListener("change", function () { navigate({ agency: filters.agency.value }); });
  more.addEventListener("click", function () {
    var focus = list.children.length;
    shownCount += PAGE;
    show().then(function () {
      var link = list.children[focus] && list.children[focus].querySelector("a");
      if (link) link.focus();
    });
  });
  window.addEventListener("popstate", function () { if (engine) render(); });

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
  load = loader(folder);
  /* Ask at once for the pieces that hold the query's words, beside the head (its folder is named as the
   * head is, head.HASH.js: HASH/); the engine takes them in from there. Traditional characters are folded
   * only once the head has come, so their pieces may be asked for again then. */
  var shards = parseInt(headScript.getAttribute("data-shards"), 10);
  if (shards && params().q) {
    var early = loader(folder + headUrl.slice(folder.length).split(".")[1] + "/");
    searchedTokens(root.lunr, params().q.slice(0, MAX_QUERY), new Map()).forEach(function (token) {
      early("s" + shardOf(root.lunr, token[0], shards)).catch(function () {});  /* asked again later */
    });
  }
  var headLoaded = new Promise(function (resolve, reject) {
    waiting.set("head", { resolve: resolve });
    headScript.addEventListener("error", reject);
  });
  headLoaded.then(function (head) {
    load = loader(folder + head.dir);
    engine = new Engine(root.lunr, head, load);
    core.run = function (text) { return search(engine, text).then(function (found) { return found.refs; }); };
    return render();
  }).then(function () {
    shownFirst();  /* for a page opened without a query */
    return loadFacets();
  }).then(function () {
    document.documentElement.setAttribute("data-search-ready", "");
  }).catch(function () {
    status.textContent = strings.failed;
  });
})(typeof self !== "undefined" ? self : this);
