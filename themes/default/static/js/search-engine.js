/* helpgen search engine: scores the lunr index shipped by the build as lunr.js would, and ranks.
 * The ranking is helpgen/search/query.py line by line: change both together.
 * Needs window.lunr (vendor/lunr.min.js) and window.HelpgenText (search-text.js). */
(function (global) {
  'use strict';

  var EXACT_BOOST = 10, PREFIX_BOOST = 3, FUZZY_BOOST = 1, SYNONYM_BOOST = 4;
  var FUZZY_MIN = 5, PREFIX_MIN = 3, COMPLETE_MIN = 4, PREFIX_TERMS = 5, MAX_UNITS = 30;
  var IDLE_TERMS = 2000;  // terms added to the fuzzy token set per idle slice
  var MATCHED = 3, FLOOR = 0.02, WEAK = 5, TOPIC = 0.5, SHAPE = 0.6, TITLED = 0.5;
  var ZWNJ = '\u200c', ARABIC_SCRIPT = /^[\u0600-\u06ff\u200c]+$/;
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

  /* `low`: a download nobody waits for (fetch priority low, where the browser knows it). */
  function fetchData(base, name, offline, low) {
    if (registered[base + name]) return Promise.resolve(registered[base + name]);
    if (!offline) {
      return fetch(base + name + '.json', low ? { priority: 'low' } : undefined).then(function (r) {
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
      if (low) s.fetchPriority = 'low';
      s.src = base + name + '.js';
      s.onerror = function () { reject(new Error('search data ' + name + ' not found')); };
      document.head.appendChild(s);
    });
  }

  function round3(x) { return Math.floor(x * 1000 + 0.5) / 1000; }

  /* read.py: rebuild, done lazily. A term's postings are decoded the first time a query
   * reaches it (its shard must have been fetched: Engine.prepare). A row is the term's idf,
   * then per field: field, count, and (step, tf, length) per posting; a posting's score is
   * its element of lunr's field vector, computed as index.py does. */
  function rebuild(data, rows) {
    var fields = data.fields, boosts = data.boosts, average = data.average, k1 = data.k1,
        b = data.b, position = new Map(), decoded = new Map();
    data.terms.forEach(function (term, i) { position.set(term, i); });
    var sorted = data.terms;  // index.py sorts by code point; lunr's TokenSet wants UTF-16 order
    for (var t = 1; t < sorted.length; t++) {
      if (sorted[t - 1] > sorted[t]) { sorted = sorted.slice().sort(); break; }
    }

    /* Term i's postings: per field, a flat list of (section, score). */
    function postings(i) {
      if (decoded.has(i)) return decoded.get(i);
      var row = rows[i], out = [], pos = 1;
      if (!row) throw new Error('helpgen search: the postings of "' + data.terms[i] + '" are not loaded');
      var idf = row[0];
      for (var f = 0; f < fields.length; f++) out.push([]);
      while (pos < row.length) {
        var fi = row[pos], count = row[pos + 1], ref = 0;
        pos += 2;
        if (fi === fields.length) { pos += count; continue; }  // titles left out: not scored
        for (var c = 0; c < count; c++) {
          ref += row[pos];
          var tf = row[pos + 1];
          out[fi].push(ref, round3(idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (row[pos + 2] / average[fi])) + tf) * boosts[fi]));
          pos += 3;
        }
      }
      decoded.set(i, out);
      return out;
    }
    return { position: position, sortedTerms: sorted, postings: postings,
             fuzzy: vocabulary(sorted), width: fields.length };  // width: fields per section
  }

  /* lunr.js Index.query for the clauses helpgen makes ([term, boost, edit distance], over every
   * field), with its arithmetic in its order, so scores equal lunr.py's to the last bit. The
   * query vector (each term's boosts summed in clause order) is the same in every field; a
   * section's score sums, over its fields in the order lunr first met them, dot(query, field
   * vector) / |query|, the dot product summed in term order. `bits(term)` marks what a term
   * covers; a result's mask ORs its terms'. Results come unsorted. */
  function match(index, clauses, bits) {
    var weights = new Map(), expanded = [];
    clauses.forEach(function (c) {
      var terms = c[2] ? index.fuzzy(c[0], c[2]) : index.position.has(c[0]) ? [c[0]] : [];
      terms.forEach(function (term) {
        var i = index.position.get(term);
        if (!weights.has(i)) expanded.push(term);
        weights.set(i, (weights.has(i) ? weights.get(i) : 0) + c[1]);
      });
    });
    var docs = new Map(), F = index.width;
    expanded.forEach(function (term) {  // lunr: matchingFields, in insertion order
      var lists = index.postings(index.position.get(term)), mask = bits(term);
      for (var f = 0; f < F; f++) {
        var list = lists[f];
        for (var j = 0; j < list.length; j += 2) {
          var doc = docs.get(list[j]);
          if (!doc) docs.set(list[j], (doc = { order: [], dots: new Float64Array(F), mask: 0 }));
          if (doc.order.indexOf(f) < 0) doc.order.push(f);
          doc.mask |= mask;
        }
      }
    });
    var order = Array.from(weights.keys()).sort(function (x, y) { return x - y; }), sum = 0;
    order.forEach(function (i) {  // lunr: Vector.dot, Vector.magnitude
      var w = weights.get(i), lists = index.postings(i);
      sum += w * w;
      for (var f = 0; f < F; f++) {
        var list = lists[f];
        for (var j = 0; j < list.length; j += 2) docs.get(list[j]).dots[f] += w * list[j + 1];
      }
    });
    var magnitude = Math.sqrt(sum), results = [];
    docs.forEach(function (doc, ref) {
      var score = doc.dots[doc.order[0]] / magnitude || 0;
      for (var k = 1; k < doc.order.length; k++) score += doc.dots[doc.order[k]] / magnitude || 0;
      results.push({ ref: ref, score: score, mask: doc.mask });
    });
    return results;
  }

  /* The vocabulary's terms within `edit` edits of `term`, as lunr finds them: lunr's TokenSet of
   * every term, built a slice at a time while the page is idle (or at once when a fuzzy query
   * comes first), intersected with the term's fuzzy token set. */
  function vocabulary(sorted) {
    var lunr = global.lunr, builder = new lunr.TokenSet.Builder(), next = 0, root = null;
    var later = function (fn) {
      return global.requestIdleCallback ? global.requestIdleCallback(fn) : setTimeout(fn, 0);
    };
    function grow(until) { for (; next < until; next++) builder.insert(sorted[next]); }
    function whole() {
      if (!root) { grow(sorted.length); builder.finish(); root = builder.root; }
      return root;
    }
    function idle() {
      if (root) return;
      grow(Math.min(next + IDLE_TERMS, sorted.length));
      if (next < sorted.length) later(idle); else whole();
    }
    later(idle);
    return function (term, edit) {
      return whole().intersect(lunr.TokenSet.fromFuzzyString(term, edit)).toArray();
    };
  }

  /* read.py: titled. The documents whose title has a row's term (a page's first document). */
  function titled(row, fields) {
    var found = new Set(), pos = 1;
    while (pos < row.length) {
      var f = row[pos], count = row[pos + 1], stride = f === fields ? 1 : 3;
      pos += 2;
      if (f === 0 || f === fields) {
        for (var c = 0, ref = 0; c < count; c++) { ref += row[pos + stride * c]; found.add(ref); }
      }
      pos += stride * count;
    }
    return found;
  }

  /* query.py: shape_of */
  function shapeOf(query, units) {
    var text = T(), shape = text.shapeTerms(query);
    return units.every(function (u) { return shape.indexOf(text.SHAPE_MARK + u.word) >= 0; }) ? [] : shape;
  }

  /* ---- planning (query.py: plan) --------------------------------------------------------- */
  function phraseTerm(terms) { return terms.join(' '); }  // read.py: phrase_term

  function synonymsOf(term, queryTerms, groups) {  // query.py: _synonyms
    var out = [];
    groups.forEach(function (group) {
      var typed = group.filter(function (member) {
        return member.indexOf(term) >= 0 &&
          member.every(function (t) { return queryTerms.indexOf(t) >= 0; });
      });
      if (!typed.length) return;
      typed.forEach(function (m) { if (m.length > 1) out.push(phraseTerm(m)); });
      group.forEach(function (m) { if (m.indexOf(term) < 0) out.push(phraseTerm(m)); });
    });
    return out;
  }

  function count(mask) {  // the units in a bit set
    for (var n = 0; mask; mask &= mask - 1) n++;
    return n;
  }

  function weighed(raw, own, matched, units) {  // query.py: weighed
    var coverage = (own + matched) / (2 * units);
    return raw * (0.3 + 0.7 * coverage * coverage);
  }

  function completes(word, kind, last) {  // query.py: _completes
    if (kind === 'cjk') return false;
    var length = Array.from(word).length;
    return (last && length >= PREFIX_MIN) || (kind === 'other' && length >= COMPLETE_MIN);
  }

  function joinable(first, second) {  // query.py: _joinable
    return ARABIC_SCRIPT.test(first) && ARABIC_SCRIPT.test(second);
  }

  function unique(found, queryTerms) {  // query.py: _unique
    var out = [];
    found.forEach(function (t) {
      if (out.indexOf(t) < 0 && queryTerms.indexOf(t) < 0) out.push(t);
    });
    return out;
  }

  function plan(query, live, synonyms, language) {
    var text = T(), found = text.words(text.normalize(query)), units = [], queryTerms = [];
    var openEnd = live && query.length > 0 && !isSpace(query[query.length - 1]);
    var also = Object.create(null), alone = -1;
    language = language || '';
    found.forEach(function (wk, i) {
      var word = wk[0], kind = wk[1], last = openEnd && i === found.length - 1;
      var made = text.terms(word, kind, language);
      if (kind === 'other' && made.length > 1) {
        also[units.length] = made.slice(1);
        made = made.slice(0, 1);
      }
      if (alone >= 0 && made.length === 1 && joinable(found[i - 1][0], word)) {
        var joined = text.terms(found[i - 1][0] + ZWNJ + word, kind, language).slice(0, 1);
        [alone, units.length].forEach(function (n) { also[n] = (also[n] || []).concat(joined); });
      }
      alone = made.length === 1 ? units.length : -1;
      made.forEach(function (term) {
        queryTerms.push(term);
        units.push({ term: term, word: word,
          prefix: completes(word, kind, last),
          fuzzy: kind === 'latin' && word.length >= FUZZY_MIN,
          pair: kind === 'cjk' && Array.from(word).length > 2 });
      });
    });
    if (!units.length) {
      found.forEach(function (wk) {
        var term = wk[1] === 'latin' ? text.stem(wk[0]) : wk[0].split(ZWNJ).join('');
        queryTerms.push(term);
        units.push({ term: term, word: wk[0], prefix: false, fuzzy: false, pair: false });
      });
    }
    units = units.slice(0, MAX_UNITS);  // also keeps the coverage bit sets within 31 bits
    units.forEach(function (u, n) {
      u.synonyms = unique((also[n] || []).concat(synonymsOf(u.term, queryTerms, synonyms)), queryTerms);
    });
    return units;
  }

  function covered(unit, term) {  // query.py: _covered
    if (term === unit.term || unit.synonyms.indexOf(term) >= 0) return true;
    if (unit.prefix && term.indexOf(unit.word) === 0) return true;
    return unit.fuzzy && withinOneEdit(term, unit.term);
  }

  /* ---- the engine ------------------------------------------------------------------------ */
  function Engine(base, offline, data) {
    this.base = base;
    this.offline = offline;
    this.data = data;
    this.rows = new Array(data.terms.length);
    this.index = rebuild(data, this.rows);
    this.synonyms = data.synonyms;
    this.language = data.language || '';
    this.topics = data.topics || 0;  // the first pages are topics
    var total = data.counts.reduce(function (a, n) { return a + n; }, 0), s = 0;
    this.sectionPage = new Int32Array(total);
    this.first = new Int32Array(data.counts.length);  // each page's first document
    for (var p = 0; p < data.counts.length; p++) {
      this.first[p] = s;
      for (var n = 0; n < data.counts[p]; n++) this.sectionPage[s++] = p;
    }
    this.shards = Object.create(null);
    this.chunks = { pages: Object.create(null), sections: Object.create(null) };
    this.pages = [];
    this.allPages = null;  // pages/all.json once loaded (index.py: compact_pages)
    this.sections = [];
    this.titled = new Map();
    this.texts = Object.create(null);
  }

  /* query.py: Searcher.title_factor. asked: {terms: Map term -> the terms that stand for it,
   * words, shape} */
  Engine.prototype.titleFactor = function (asked, page) {
    var first = this.first[page], self = this, has = 0;
    asked.terms.forEach(function (spellings) {
      if (spellings.some(function (term) { return self.titledBy(term).has(first); })) has++;
    });
    if (has === asked.terms.size && has === this.data.titles[page]) return 3;
    return 1 + TITLED * has / asked.terms.size;
  };

  /* query.py: Searcher.titled_by */
  Engine.prototype.titledBy = function (term) {
    var found = this.titled.get(term);
    if (found === undefined) {
      var i = this.index.position.get(term), row = i === undefined ? null : this.rows[i];
      if (i !== undefined && !row) throw new Error('helpgen search: the postings of "' + term + '" are not loaded');
      found = row ? titled(row, this.data.fields.length) : new Set();
      this.titled.set(term, found);
    }
    return found;
  };

  /* query.py: Searcher.placed */
  Engine.prototype.placed = function (asked, page) {
    var found = this.titleFactor(asked, page);
    if (page < this.topics && !(found === 3 && asked.words <= this.data.titles[page])) return found * TOPIC;
    return found;
  };

  /* query.py: Searcher.factor */
  Engine.prototype.factor = function (asked, page) {
    var found = this.placed(asked, page), first = this.first[page], self = this, shared = 0;
    if (asked.shape.length) {
      asked.shape.forEach(function (term) { if (self.titledBy(term).has(first)) shared++; });
      found *= 1 + SHAPE * shared / asked.shape.length;
    }
    return found;
  };

  /* query.py: Searcher.strong */
  Engine.prototype.strong = function (best, asked, need) {
    var top = -Infinity, most = 0, self = this;
    best.forEach(function (v) { if (v[3] > top) top = v[3]; if (v[2] > most) most = v[2]; });
    var weak = best.size > 0 && most < need, least = Math.min(need, most);
    var heavy = Array.from(best.entries()).filter(function (item) { return item[1][3] >= top * FLOOR; });
    var kept = heavy.filter(function (item) { return item[1][2] >= least; });
    var named = new Map();
    kept.forEach(function (item) { named.set(item[0], self.named(item[0], asked)); });
    kept.sort(function (a, b) {
      return (named.get(b[0]) - named.get(a[0])) || b[1][0] - a[1][0] || a[0] - b[0];
    });
    if (weak) return [kept.slice(0, WEAK), true];
    if (kept.length >= WEAK) return [kept, false];
    var titled = heavy.filter(function (item) {
      return item[1][2] < least && self.titleFactor(asked, item[0]) > 1;
    });
    titled.sort(function (a, b) { return b[1][0] - a[1][0] || a[0] - b[0]; });
    return [kept.concat(titled.slice(0, WEAK - kept.length)), false];
  };

  /* query.py: Searcher.need */
  Engine.prototype.need = function (units) {
    var position = this.index.position, counted = 0;
    units.forEach(function (u) {
      if (!u.pair || position.has(u.term) || u.synonyms.some(function (t) { return position.has(t); })) counted++;
    });
    return Math.min(Math.floor(((counted || units.length) + 1) / 2), MATCHED);
  };

  /* query.py: Searcher.named */
  Engine.prototype.named = function (page, asked) {
    return page < this.topics && this.placed(asked, page) === 3;
  };

  /* query.py: Searcher.completions. Terms with a prefix are a run of the sorted vocabulary. */
  Engine.prototype.completions = function (prefix) {
    var cache = this.completed || (this.completed = new Map());
    if (cache.has(prefix)) return cache.get(prefix);
    var sorted = this.index.sortedTerms, position = this.index.position, ranks = this.data.ranks;
    var lo = 0, hi = sorted.length, found = [];
    while (lo < hi) { var mid = (lo + hi) >> 1; if (sorted[mid] < prefix) lo = mid + 1; else hi = mid; }
    for (var i = lo; i < sorted.length && sorted[i].indexOf(prefix) === 0; i++) {
      if (sorted[i].indexOf(' ') < 0) found.push(position.get(sorted[i]));  // no phrases
    }
    found.sort(function (x, y) { return ranks[y] - ranks[x] || x - y; });
    var out = found.slice(0, PREFIX_TERMS).map(function (i) { return this.data.terms[i]; }, this);
    if (cache.size > 500) cache.clear();
    cache.set(prefix, out);
    return out;
  };

  /* query.py: Searcher.clauses */
  Engine.prototype.clauses = function (units) {
    var out = [], self = this;
    function add(term, boost, edit) {
      for (var i = 0; i < out.length; i++) {
        if (out[i][0] === term && out[i][1] === boost && out[i][2] === edit) return;
      }
      out.push([term, boost, edit]);
    }
    units.forEach(function (u) {
      add(u.term, EXACT_BOOST, 0);
      if (u.prefix) self.completions(u.word).forEach(function (t) { if (t !== u.term) add(t, PREFIX_BOOST, 0); });
      if (u.fuzzy) add(u.term, FUZZY_BOOST, 1);
      u.synonyms.forEach(function (t) { add(t, SYNONYM_BOOST, 0); });
    });
    return out;
  };

  /* Fetch the postings shards a query needs (its clauses' terms, its shape terms); search() may
   * run once this resolves. */
  Engine.prototype.prepare = function (query, live) {
    var self = this, position = this.index.position, starts = this.data.shards;
    var wanted = Object.create(null), units = plan(query, !!live, this.synonyms, this.language);
    var clauses = this.clauses(units);
    shapeOf(query, units).forEach(function (t) { clauses.push([t, 0, 0]); });
    clauses.forEach(function (c) {
      var terms = [c[0]];
      if (c[2]) terms = self.index.fuzzy(c[0], c[2]);
      terms.forEach(function (t) {
        var i = position.get(t);
        if (i === undefined || self.rows[i]) return;
        var lo = 0, hi = starts.length - 1;
        while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (starts[mid] <= i) lo = mid; else hi = mid - 1; }
        wanted[lo] = true;
      });
    });
    return Promise.all(Object.keys(wanted).map(function (k) { return self.shard(+k); }));
  };

  Engine.prototype.shard = function (k) {
    var self = this;
    if (!this.shards[k]) {
      this.shards[k] = fetchData(this.base, 'postings/' + k, this.offline).then(function (rows) {
        var first = self.data.shards[k];
        rows.forEach(function (row, j) { self.rows[first + j] = row; });
      });
      this.shards[k].catch(function () { delete self.shards[k]; });
    }
    return this.shards[k];
  };

  Engine.prototype.search = function (query, opts) {
    var live = !!(opts && opts.live), limit = (opts && opts.limit) || 10;
    var units = plan(query, live, this.synonyms, this.language);
    if (!units.length) return [];
    var covers = function (term) {
      for (var u = 0, bits = 0; u < units.length; u++) if (covered(units[u], term)) bits |= 1 << u;
      return bits;
    };
    var results = match(this.index, this.clauses(units), covers);
    var terms = new Map(), text = T();
    units.forEach(function (u) { terms.set(u.term, [u.term].concat(u.synonyms)); });
    var asked = { terms: terms, words: text.words(text.normalize(query)).length, shape: shapeOf(query, units) };
    // Each page: its sections' (lunr score, section, units matched), the units they match between them.
    var found = new Map(), masks = new Map(), best = new Map(), self = this;
    for (var i = 0; i < results.length; i++) {
      var r = results[i], section = r.ref, page = this.sectionPage[section];
      masks.set(page, (masks.get(page) || 0) | r.mask);
      if (!found.has(page)) found.set(page, []);
      found.get(page).push([r.score, section, count(r.mask)]);
    }
    found.forEach(function (sections, page) {
      var hits = count(masks.get(page)), weight = -Infinity, at = -1;
      sections.forEach(function (s) {
        var w = weighed(s[0], s[2], hits, units.length);
        if (w > weight || (w === weight && s[1] < at)) { weight = w; at = s[1]; }
      });
      best.set(page, [round6(weight * self.factor(asked, page)), at, hits, round6(weight)]);
    });
    var strong = this.strong(best, asked, this.need(units)), weak = strong[1];
    var ranked = strong[0].slice(0, limit);
    return ranked.map(function (item) {
      var page = item[0];
      var audiences = self.data.audiences ? self.data.audiences[page] || null : null;
      return self.describeOne({ url: null, page: null, title: null, breadcrumb: [],
        heading: null, anchor: null, score: item[1][0], section: item[1][1], pageIndex: page,
        audiences: audiences, named: false, described: false, weak: weak });
    });
  };

  /* read.py: title_slug. Only ever given ASCII titles, which lower-case alike everywhere. */
  function titleSlug(title) {
    return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') + '/';
  }

  /* read.py: expand_pages. Page i's [url, title, breadcrumb], from its chunk or from
   * pages/all.json, whose rows are [title, topic's row], [rest of the url, title, topic's
   * row] or the whole row. */
  Engine.prototype.page = function (i) {
    var p = this.pages[i], row = this.allPages && this.allPages[i];
    if (p || !row) return p;
    if (row.length === 2) row = [titleSlug(row[0]), row[0], row[1]];
    var parent = row[2];
    if (Array.isArray(parent)) p = row;
    else if (parent < 0) p = [row[0], row[1], []];
    else {
      var above = this.page(parent);
      p = [above[0] + row[0], row[1], above[2].concat([above[1]])];
    }
    this.pages[i] = p;
    return p;
  };

  /* Fetch pages/all.json (once, at low priority): from then on results are named without a
   * request. The search UI asks for it after showing its first results. */
  Engine.prototype.loadAllPages = function () {
    var self = this;
    if (!this.allPagesLoading) {
      this.allPagesLoading = fetchData(this.base, 'pages/all', this.offline, true).then(function (rows) {
        self.allPages = rows;
      });
      this.allPagesLoading.catch(function () { delete self.allPagesLoading; });
    }
    return this.allPagesLoading;
  };

  /* What the loaded chunks tell of a result: its page's url, title and breadcrumb (named),
   * then its section's heading and anchor (described). */
  Engine.prototype.describeOne = function (r) {
    var p = this.page(r.pageIndex), s = this.sections[r.section];
    if (p && !r.named) {
      r.url = r.page = p[0];
      r.title = p[1];
      r.breadcrumb = p[2];
      r.named = true;
    }
    if (s && r.named && !r.described) {
      r.anchor = s[0] || null;
      r.heading = s[1] || null;
      r.url = r.page + (s[0] ? '#' + s[0] : '');
      r.described = true;
    }
    return r;
  };

  /* Fetch chunk k of `kind` (pages, sections) once; its items go to this[kind][k * size + j]. */
  Engine.prototype.chunk = function (kind, k) {
    var self = this, cache = this.chunks[kind], size = this.data.chunks[kind];
    if (!cache[k]) {
      cache[k] = fetchData(this.base, kind + '/' + k, this.offline).then(function (items) {
        items.forEach(function (item, j) { self[kind][k * size + j] = item; });
      });
      cache[k].catch(function () { delete cache[k]; });
    }
    return cache[k];
  };

  /* Fetch the page rows of these results (and, with `sections`, their sections) and fill in
   * what they tell. */
  Engine.prototype.fill = function (results, sections) {
    var self = this, wanted = [], seen = Object.create(null);
    function want(kind, n) {
      var k = Math.floor(n / self.data.chunks[kind]);
      var have = kind === 'pages' ? self.page(n) : self[kind][n];
      if (!have && !seen[kind + k]) { seen[kind + k] = true; wanted.push(self.chunk(kind, k)); }
    }
    results.forEach(function (r) {
      want('pages', r.pageIndex);
      if (sections) want('sections', r.section);
    });
    return Promise.all(wanted).then(function () {
      return results.map(function (r) { return self.describeOne(r); });
    });
  };

  /* Names (url, title, breadcrumb) of these results. */
  Engine.prototype.name = function (results) { return this.fill(results, false); };

  /* Names and sections (heading, anchor) of these results. */
  Engine.prototype.describe = function (results) { return this.fill(results, true); };

  /* prepare + search, keeping the results `opts.allows(audiences)` allows (all by default);
   * the first `opts.describe` results are described (all by default), the first `opts.name`
   * named at least (as many as are described by default). */
  Engine.prototype.find = function (query, opts) {
    var self = this, o = opts || {};
    return this.prepare(query, o.live).then(function () {
      var results = self.search(query, o);
      if (o.allows) results = results.filter(function (r) { return o.allows(r.audiences); });
      var n = o.describe === undefined ? results.length : o.describe;
      var named = Math.max(n, o.name || 0);
      return Promise.all([self.describe(results.slice(0, n)), self.name(results.slice(n, named))])
        .then(function () { return results; });
    });
  };

  /* ---- highlighting and snippets --------------------------------------------------------- */
  var RUN = /[\p{L}\p{M}\p{N}]+(?:\u200c[\p{L}\p{M}\p{N}]+)*(?:[.,]\p{N}+)*/gu;  // a ZWNJ word is one

  Engine.prototype.highlight = function (text, query) {
    var units = plan(query, true, this.synonyms, this.language), textApi = T(), language = this.language;
    var cjk = units.filter(function (u) { return /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/.test(u.term); });
    var marks = [];
    var m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text))) {
      var run = m[0], start = m.index;
      var words = textApi.words(textApi.normalize(run));
      var hit = words.some(function (wk) {
        if (wk[1] === 'cjk') return false;
        var terms = textApi.terms(wk[0], wk[1], language);
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
    var size = this.data.chunks.text, k = Math.floor(section / size), self = this;
    if (!this.texts[k]) {
      this.texts[k] = fetchData(this.base, 'text/' + k, this.offline);
      this.texts[k].catch(function () { delete self.texts[k]; });
    }
    return this.texts[k].then(function (chunk) { return chunk[section % size] || ''; });
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

  /* "Did you mean": each word the index lacks, replaced by the closest word readers see
   * (index.py: vocabulary, most frequent first). */
  Engine.prototype.suggest = function (query) {
    var text = T(), vocab = this.data.words, position = this.index.position, changed = false;
    var out = text.words(text.normalize(query)).map(function (wk) {
      var word = wk[0];
      if (wk[1] !== 'latin' || word.length < 4) return word;
      var terms = text.terms(word, wk[1]);
      if (!terms.length || position.has(terms[0])) return word;
      var max = word.length < 7 ? 1 : 2, best = null, bestD = max + 1;
      for (var i = 0; i < vocab.length && bestD > 0; i++) {
        var d = distance(word, vocab[i], max);
        if (d < bestD) { best = vocab[i]; bestD = d; }
      }
      if (best === null) return word;
      changed = true;
      return best;
    });
    return changed ? out.join(' ') : null;
  };

  /* ---- public API ------------------------------------------------------------------------ */
  var engines = Object.create(null);

  /* A result's url (a site-root path: "en/orders/cancel/#before-it-ships") as a link from a page
   * whose site root is `root`. Each segment is encoded: "#", "%", "?" or ":" in a file name never
   * change the URL's meaning. Offline (file://), a folder's page is its index.html. */
  function href(url, root, offline) {
    url = String(url || '');
    var cut = url.indexOf('#');
    var path = cut < 0 ? url : url.slice(0, cut);
    var hash = cut < 0 ? '' : url.slice(cut);
    if (offline && (path === '' || path.charAt(path.length - 1) === '/')) path += 'index.html';
    path = path.split('/').map(encodeURIComponent).join('/');
    return (root || './') + path + hash;
  }

  global.HelpgenSearch = {
    register: register,
    load: function (base, opts) {
      var offline = !!(opts && opts.offline);
      if (!engines[base]) {
        // opts.index: the index.json data (or its promise) when the caller fetched it already
        engines[base] = (opts && opts.index ? Promise.resolve(opts.index) : fetchData(base, 'index', offline))
          .then(function (data) { return new Engine(base, offline, data); });
        engines[base].catch(function () { delete engines[base]; });
      }
      return engines[base];
    },
    href: href,
    _plan: plan,
    _round6: round6
  };
})(typeof window !== 'undefined' ? window : this);
