/* helpgen search engine: rebuilds the lunr index shipped by the build and ranks results.
 * The ranking is helpgen/search/query.py line by line: change both together.
 * Needs window.lunr (vendor/lunr.min.js) and window.HelpgenText (search-text.js). */
(function (global) {
  'use strict';

  var EXACT_BOOST = 10, PREFIX_BOOST = 3, FUZZY_BOOST = 1, SYNONYM_BOOST = 4;
  var FUZZY_MIN = 5, PREFIX_MIN = 3;
  var T = function () { return global.HelpgenText; };
  var registered = Object.create(null);
  var waiting = Object.create(null);

  function round6(x) { return Math.floor(x * 1e6 + 0.5) / 1e6; }

  function withinOneEdit(a, b) {
    if (a === b) return true;
    var A = Array.from(a), B = Array.from(b), la = A.length, lb = B.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < Math.min(la, lb) && A[i] === B[i]) i++;
    var tail = function (arr, from) { return arr.slice(from).join(''); };
    if (la === lb) return tail(A, i + 1) === tail(B, i + 1);
    return la < lb ? tail(A, i) === tail(B, i + 1) : tail(A, i + 1) === tail(B, i);
  }

  function isSpace(ch) { return /\s/.test(ch); }

  /* ---- loading --------------------------------------------------------------------------- */
  function register(name, data) {
    registered[name] = data;
    (waiting[name] || []).forEach(function (fn) { fn(data); });
    delete waiting[name];
  }

  function fetchData(base, name, offline) {
    if (registered[base + name]) return Promise.resolve(registered[base + name]);
    if (!offline) {
      return fetch(base + name + '.json').then(function (r) {
        if (!r.ok) throw new Error('search data ' + name + ': HTTP ' + r.status);
        return r.json();
      });
    }
    return new Promise(function (resolve, reject) {
      // data files call HelpgenSearch.register(name, data); key them by folder as well
      (waiting[name] = waiting[name] || []).push(function (data) {
        registered[base + name] = data; resolve(data);
      });
      var s = document.createElement('script');
      s.src = base + name + '.js';
      s.onerror = function () { reject(new Error('search data ' + name + ' not found')); };
      document.head.appendChild(s);
    });
  }

  function round3(x) { return Math.floor(x * 1000 + 0.5) / 1000; }

  /* index.py: rebuild, done lazily. A term's postings are decoded the first time a query
   * reaches it; a document's field vector holds the decoded terms only. lunr scores
   * dot(query, document) / |query|, so the terms a query lacks never change a score, and the
   * arithmetic is the same as index.py's, in the same order. Ready = parse + token set. */
  function rebuild(data) {
    var lunr = global.lunr, fields = data.fields, boosts = data.boosts, average = data.average,
        k1 = data.k1, b = data.b, lengths = data.lengths, position = new Map(),
        decoded = new Map(), elements = new Map();
    data.terms.forEach(function (term, i) { position.set(term, i); });

    function decode(term) {
      var i = position.get(term);
      if (i === undefined) return undefined;
      if (decoded.has(term)) return decoded.get(term);
      var row = data.postings[i], idf = data.idf[i], entry = { _index: i }, pos = 0;
      for (var f = 0; f < fields.length; f++) entry[fields[f]] = Object.create(null);
      while (pos < row.length) {
        var fi = row[pos], count = row[pos + 1], name = fields[fi], ref = 0;
        pos += 2;
        for (var c = 0; c < count; c++) {
          ref += row[pos];
          var tf = row[pos + 1];
          var norm = k1 * (1 - b + b * (lengths[fi][ref] / average[fi])) + tf;
          var score = round3(idf * ((k1 + 1) * tf) / norm * boosts[fi]);
          entry[name][ref] = {};
          var key = name + '/' + ref;
          if (!elements.has(key)) elements.set(key, []);
          elements.get(key).push([i, score]);
          pos += 2;
        }
      }
      decoded.set(term, entry);
      return entry;
    }

    var invertedIndex = new Proxy(Object.create(null), {
      get: function (target, term) { return typeof term === 'string' ? decode(term) : undefined; },
      has: function (target, term) { return position.has(term); }
    });
    var fieldVectors = new Proxy(Object.create(null), {
      get: function (target, key) {
        var list = elements.get(key);
        if (!list) return undefined;
        list.sort(function (x, y) { return x[0] - y[0]; });
        var flat = [];
        list.forEach(function (e) { flat.push(e[0], e[1]); });
        return new lunr.Vector(flat);
      }
    });
    return new lunr.Index({
      invertedIndex: invertedIndex, fieldVectors: fieldVectors,
      tokenSet: lunr.TokenSet.fromArray(data.terms.slice().sort()),
      fields: fields, pipeline: new lunr.Pipeline()
    });
  }

  /* ---- planning (query.py: plan) --------------------------------------------------------- */
  function synonymsOf(term, queryTerms, groups) {
    var out = [];
    groups.forEach(function (group) {
      var hit = group.some(function (member) {
        return member.indexOf(term) >= 0 &&
          member.every(function (t) { return queryTerms.indexOf(t) >= 0; });
      });
      if (!hit) return;
      group.forEach(function (member) {
        if (member.indexOf(term) >= 0) return;
        member.forEach(function (t) {
          if (out.indexOf(t) < 0 && queryTerms.indexOf(t) < 0) out.push(t);
        });
      });
    });
    return out;
  }

  function plan(query, live, synonyms) {
    var text = T(), found = text.words(text.normalize(query)), units = [], queryTerms = [];
    var openEnd = live && query.length > 0 && !isSpace(query[query.length - 1]);
    found.forEach(function (wk, i) {
      var word = wk[0], kind = wk[1], last = openEnd && i === found.length - 1;
      text.terms(word, kind).forEach(function (term) {
        queryTerms.push(term);
        units.push({ term: term, word: word,
          prefix: last && kind !== 'cjk' && Array.from(word).length >= PREFIX_MIN,
          fuzzy: kind === 'latin' && word.length >= FUZZY_MIN });
      });
    });
    if (!units.length) {
      found.forEach(function (wk) {
        var term = wk[1] === 'latin' ? text.stem(wk[0]) : wk[0];
        queryTerms.push(term);
        units.push({ term: term, word: wk[0], prefix: false, fuzzy: false });
      });
    }
    units.forEach(function (u) { u.synonyms = synonymsOf(u.term, queryTerms, synonyms); });
    return units;
  }

  function covered(unit, matched) {
    if (matched.indexOf(unit.term) >= 0) return true;
    if (unit.synonyms.some(function (s) { return matched.indexOf(s) >= 0; })) return true;
    if (unit.prefix && matched.some(function (m) { return m.indexOf(unit.word) === 0; })) return true;
    return unit.fuzzy && matched.some(function (m) { return withinOneEdit(m, unit.term); });
  }

  function sameSet(a, b) {
    if (a.size !== b.size) return false;
    var same = true;
    a.forEach(function (x) { if (!b.has(x)) same = false; });
    return same;
  }

  function subset(a, b) {
    var all = true;
    a.forEach(function (x) { if (!b.has(x)) all = false; });
    return all;
  }

  /* ---- the engine ------------------------------------------------------------------------ */
  function Engine(base, offline, index, docs) {
    this.base = base;
    this.offline = offline;
    this.index = rebuild(index);
    this.synonyms = index.synonyms;
    this.pages = docs.pages;
    this.sections = docs.sections;
    this.chunk = docs.chunk;
    this.titles = Object.create(null);
    this.texts = Object.create(null);
  }

  Engine.prototype.titleTerms = function (page) {
    if (!this.titles[page]) this.titles[page] = new Set(T().tokenize(this.pages[page][1]));
    return this.titles[page];
  };

  Engine.prototype.search = function (query, opts) {
    var live = !!(opts && opts.live), limit = (opts && opts.limit) || 10;
    var units = plan(query, live, this.synonyms);
    if (!units.length) return [];
    var lunr = global.lunr, seen = Object.create(null);
    var results = this.index.query(function (q) {
      function clause(term, boost, wildcard, edit) {
        var key = term + '\u0000' + wildcard + '\u0000' + edit;
        if (seen[key]) return;
        seen[key] = true;
        var options = { boost: boost, wildcard: wildcard, usePipeline: false };
        if (edit) options.editDistance = edit;  // lunr.js goes fuzzy whenever the key exists
        q.term(term, options);
      }
      units.forEach(function (u) {
        clause(u.term, EXACT_BOOST, lunr.Query.wildcard.NONE, 0);
        if (u.prefix) clause(u.word, PREFIX_BOOST, lunr.Query.wildcard.TRAILING, 0);
        if (u.fuzzy) clause(u.term, FUZZY_BOOST, lunr.Query.wildcard.NONE, 1);
        u.synonyms.forEach(function (t) { clause(t, SYNONYM_BOOST, lunr.Query.wildcard.NONE, 0); });
      });
    });
    var wanted = new Set(units.map(function (u) { return u.term; }));
    var best = new Map();
    for (var i = 0; i < results.length; i++) {
      var r = results[i], section = parseInt(r.ref, 10), page = this.sections[section][0];
      var matched = Object.keys(r.matchData.metadata);
      var hits = 0;
      units.forEach(function (u) { if (covered(u, matched)) hits += 1; });
      var coverage = hits / units.length;
      var score = r.score * (0.3 + 0.7 * coverage * coverage);
      var title = this.titleTerms(page);
      if (sameSet(wanted, title)) score *= 3;
      else if (subset(wanted, title)) score *= 1.5;
      score = round6(score);
      var prev = best.get(page);
      if (!prev || score > prev[0] || (score === prev[0] && section < prev[1])) best.set(page, [score, section]);
    }
    var ranked = Array.from(best.entries()).sort(function (a, b) {
      return b[1][0] - a[1][0] || a[0] - b[0];
    }).slice(0, limit);
    var self = this;
    return ranked.map(function (item) {
      var page = item[0], score = item[1][0], section = item[1][1];
      var p = self.pages[page], s = self.sections[section];
      return { url: p[0] + (s[1] ? '#' + s[1] : ''), page: p[0], title: p[1], breadcrumb: p[2],
        source: p[3], heading: s[2] || null, anchor: s[1] || null, score: score,
        section: section, pageIndex: page };
    });
  };

  /* ---- highlighting and snippets --------------------------------------------------------- */
  var RUN = /[\p{L}\p{M}\p{N}]+(?:[.,]\p{N}+)*/gu;

  Engine.prototype.highlight = function (text, query) {
    var units = plan(query, true, this.synonyms), textApi = T();
    var cjk = units.filter(function (u) { return /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/.test(u.term); });
    var marks = [];
    var m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text))) {
      var run = m[0], start = m.index;
      var words = textApi.words(textApi.normalize(run));
      var hit = words.some(function (wk) {
        if (wk[1] === 'cjk') return false;
        var terms = textApi.terms(wk[0], wk[1]);
        if (!terms.length) terms = [wk[0]];
        return terms.some(function (t) {
          return units.some(function (u) {
            return u.term === t || u.synonyms.indexOf(t) >= 0 ||
              (u.prefix && wk[0].indexOf(u.word) === 0) || (u.fuzzy && withinOneEdit(t, u.term));
          });
        });
      });
      if (hit) marks.push([start, start + run.length]);
      cjk.forEach(function (u) {
        var from = 0, at;
        while ((at = run.indexOf(u.term, from)) >= 0) {
          marks.push([start + at, start + at + u.term.length]);
          from = at + 1;
        }
      });
    }
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var out = [], pos = 0;
    marks.forEach(function (mk) {
      if (mk[1] <= pos) return;
      var s = Math.max(mk[0], pos);
      if (s > pos) out.push([text.slice(pos, s), false]);
      out.push([text.slice(s, mk[1]), true]);
      pos = mk[1];
    });
    if (pos < text.length) out.push([text.slice(pos), false]);
    return out;
  };

  Engine.prototype.sectionText = function (section) {
    var k = Math.floor(section / this.chunk), self = this;
    if (!this.texts[k]) this.texts[k] = fetchData(this.base, 'text/' + k, this.offline);
    return this.texts[k].then(function (chunk) { return chunk[section % self.chunk] || ''; });
  };

  Engine.prototype.snippet = function (result, query, size) {
    var self = this, width = size || 30;
    return this.sectionText(result.section).then(function (text) {
      var segments = self.highlight(text, query);
      var first = segments.findIndex(function (s) { return s[1]; });
      // cut to about `width` words around the first highlight
      var before = [], after = [], count = 0, i;
      var words = function (s) { return (s.match(/\S+/g) || []).length || (s.length / 2); };
      if (first < 0) first = 0;
      for (i = first; i < segments.length && count < width * 0.75; i++) { after.push(segments[i]); count += words(segments[i][0]); }
      var tailCut = i < segments.length;
      count = 0;
      for (i = first - 1; i >= 0 && count < width * 0.25; i--) { before.unshift(segments[i]); count += words(segments[i][0]); }
      var out = before.concat(after);
      if (i >= 0 && out.length) out[0] = ['\u2026' + out[0][0].replace(/^\S*\s/, ''), out[0][1]];
      if (tailCut && out.length) out.push(['\u2026', false]);
      return out;
    });
  };

  /* ---- spelling suggestion --------------------------------------------------------------- */
  function distance(a, b, max) {  // Levenshtein, giving up beyond max
    var A = Array.from(a), B = Array.from(b);
    if (Math.abs(A.length - B.length) > max) return max + 1;
    var prev = [], cur, i, j;
    for (j = 0; j <= B.length; j++) prev.push(j);
    for (i = 1; i <= A.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= B.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (A[i - 1] === B[j - 1] ? 0 : 1)));
        best = Math.min(best, cur[j]);
      }
      if (best > max) return max + 1;
      prev = cur;
    }
    return prev[B.length];
  }

  /* Words readers see (titles and headings), by how often they appear. */
  Engine.prototype.vocabulary = function () {
    if (this._vocab) return this._vocab;
    var text = T(), counts = Object.create(null);
    var add = function (s) {
      text.words(text.normalize(s)).forEach(function (wk) {
        if (wk[1] === 'latin' && wk[0].length > 2) counts[wk[0]] = (counts[wk[0]] || 0) + 1;
      });
    };
    this.pages.forEach(function (p) { add(p[1]); });
    this.sections.forEach(function (s) { if (s[2]) add(s[2]); });
    return (this._vocab = counts);
  };

  /* "Did you mean": each word the index lacks, replaced by the closest word readers see. */
  Engine.prototype.suggest = function (query) {
    var text = T(), vocab = this.vocabulary(), index = this.index, changed = false;
    var out = text.words(text.normalize(query)).map(function (wk) {
      var word = wk[0];
      if (wk[1] !== 'latin' || word.length < 4) return word;
      var terms = text.terms(word, wk[1]);
      if (!terms.length || index.invertedIndex[terms[0]]) return word;
      var max = word.length < 7 ? 1 : 2, best = null, bestD = max + 1;
      Object.keys(vocab).forEach(function (v) {
        var d = distance(word, v, max);
        if (d < bestD || (d === bestD && best !== null && (vocab[v] > vocab[best] ||
            (vocab[v] === vocab[best] && v < best)))) { best = v; bestD = d; }
      });
      if (best === null) return word;
      changed = true;
      return best;
    });
    return changed ? out.join(' ') : null;
  };

  /* ---- public API ------------------------------------------------------------------------ */
  var engines = Object.create(null);

  global.HelpgenSearch = {
    register: register,
    load: function (base, opts) {
      var offline = !!(opts && opts.offline);
      if (!engines[base]) {
        engines[base] = Promise.all([fetchData(base, 'index', offline), fetchData(base, 'docs', offline)])
          .then(function (d) { return new Engine(base, offline, d[0], d[1]); });
        engines[base].catch(function () { delete engines[base]; });
      }
      return engines[base];
    },
    _plan: plan,
    _round6: round6
  };
})(typeof window !== 'undefined' ? window : this);
