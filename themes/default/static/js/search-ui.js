/*! helpgen default theme — search UI: instant results under the search boxes, and the search page.
 * Progressive enhancement: without it every box is a plain GET form to {locale}/search/?q=.
 * The search page names this script; elsewhere helpgen.js loads it when a box is first used. The
 * engine (vendor/lunr.min.js, js/search-text.js, js/search-engine.js) and the index are loaded
 * only when a search box is first focused, or on the search page. Content text is only ever
 * inserted with textContent / text nodes. Counts pick their plural form and digits with
 * window.HelpgenI18n, defined first (and module.exports under node, for the shared vectors). */
(function (root) {
  "use strict";

  // ------------------------------------------------------------------ plurals and numbers
  // Twin of helpgen/locales.py and Translator in helpgen/theme.py (tests/i18n_vectors.json
  // proves they agree): the CLDR plural category of a count picks `key_<category>`, else `key`;
  // a count is written as the locale writes numbers (Persian: ۱۲). `tag` is the locale Babel
  // resolved on the server (data-i18n-locale), so both sides use the same CLDR rules.
  var I18n = (function () {
    var rules = {}, numbers = {};
    function cached(store, Make, tag) {
      if (!Object.prototype.hasOwnProperty.call(store, tag)) {
        try { store[tag] = new Make(tag || undefined); } catch (e) { store[tag] = null; }
      }
      return store[tag];
    }
    function category(tag, n) {
      var r = typeof Intl !== "undefined" && Intl.PluralRules ? cached(rules, Intl.PluralRules, tag) : null;
      return r ? r.select(n) : (n === 1 ? "one" : "other");
    }
    function pick(map, key, tag, n) {
      var form = map[key + "_" + category(tag, n)];
      return typeof form === "string" ? form : (typeof map[key] === "string" ? map[key] : key);
    }
    function number(tag, n) {
      var f = typeof Intl !== "undefined" ? cached(numbers, Intl.NumberFormat, tag) : null;
      return f ? f.format(n) : String(n);
    }
    return { category: category, pick: pick, number: number };
  })();
  if (typeof module !== "undefined" && module.exports) module.exports = I18n;
  if (!root || !root.document) return;
  root.HelpgenI18n = I18n;

  var doc = root.document;
  if (!window.Promise || !doc.querySelectorAll || !window.JSON) return;

  var MAX_INSTANT = 8;       // results in the drop-down
  var PAGE_DELAY = 150;      // ms of typing pause before the search page re-renders
  var PAGE_DESCRIBED = 20;   // results on the search page named and described at once
  var LOADING_DELAY = 200;   // show "Loading…" only when the index takes longer than this
  var ANNOUNCE_DELAY = 500;  // screen-reader counts wait until typing settles

  var lang = doc.documentElement.lang || "";

  // ---------------------------------------------------------------------------------- helpers
  function $$(sel, ctx) { return Array.prototype.slice.call((ctx || doc).querySelectorAll(sel)); }
  function el(tag, cls, text) {
    var node = doc.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }
  function now() { return window.performance && performance.now ? performance.now() : Date.now(); }
  function parseJSON(text, fallback) {
    try { var v = JSON.parse(text || ""); return v == null ? fallback : v; } catch (e) { return fallback; }
  }
  // feedback.js: a search that settles is sent when [feedback] searches = true
  function settled(q, results) {
    var weak = results.length > 0 && !!results[0].weak;
    if (window.HelpgenFeedback && window.HelpgenFeedback.searched) window.HelpgenFeedback.searched(q, results.length, weak);
  }

  // Single-letter Latin/Hebrew/Arabic prefixes match half the index; one Han/kana/Hangul character is a word.
  var WIDE = /[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]/;
  function searchable(q) { return q.length >= 2 || WIDE.test(q); }

  // Strings: data-i18n on the form holds the raw templates ("{n} results for “{query}”") with
  // their plural forms, data-i18n-locale the locale they are for.
  function Strings(map, tag) { this.map = map || {}; this.tag = tag; }
  Strings.prototype.get = function (key) { return this.map[key] || ""; };
  Strings.prototype.plural = function (key, n) { return I18n.pick(this.map, key, this.tag, n); };
  Strings.prototype.num = function (n) { return I18n.number(this.tag, n); };
  // Plain-text form (live region, title). User text is wrapped in FSI…PDI so a Latin query
  // keeps its order inside a Hebrew/Arabic sentence.
  function format(str, template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      if (!Object.prototype.hasOwnProperty.call(values, name)) return all;
      var v = values[name];
      return typeof v === "number" ? str.num(v) : "\u2068" + v + "\u2069";
    });
  }
  // DOM form: fill `node` with the template, placeholders become text nodes or the given elements.
  function fill(str, node, template, values) {
    node.textContent = "";
    var re = /\{(\w+)\}/g, last = 0, m;
    while ((m = re.exec(template))) {
      if (m.index > last) node.appendChild(doc.createTextNode(template.slice(last, m.index)));
      var v = Object.prototype.hasOwnProperty.call(values, m[1]) ? values[m[1]] : m[0];
      if (typeof v === "number") v = str.num(v);
      node.appendChild(typeof v === "string" ? doc.createTextNode(v) : v);
      last = re.lastIndex;
    }
    if (last < template.length) node.appendChild(doc.createTextNode(template.slice(last)));
    return node;
  }
  function queryNode(q) { return el("bdi", "search-query", q); }

  // [[text, highlighted], …] -> text nodes and <mark>s.
  function appendSegments(node, segments) {
    for (var i = 0; i < segments.length; i++) {
      var s = segments[i];
      if (!s) continue;
      var text = String(s[0] == null ? "" : s[0]);
      if (!text) continue;
      node.appendChild(s[1] ? el("mark", null, text) : doc.createTextNode(text));
    }
    return node;
  }

  // ------------------------------------------------------------------------------- the engine
  function config(form) {
    return {
      scripts: parseJSON(form.getAttribute("data-search-scripts"), []),
      data: form.getAttribute("data-search-data") || "",
      offline: form.getAttribute("data-search-offline") === "true",
      root: form.getAttribute("data-search-root") || "",
      strings: new Strings(parseJSON(form.getAttribute("data-i18n"), {}),
        form.getAttribute("data-i18n-locale") || lang)
    };
  }

  function hasScript(src) {
    var scripts = doc.scripts;
    for (var i = 0; i < scripts.length; i++) if (scripts[i].getAttribute("src") === src) return true;
    return false;
  }
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (hasScript(src)) { resolve(); return; }
      var s = doc.createElement("script");
      s.src = src;
      s.async = false;
      s.addEventListener("load", function () { resolve(); });
      s.addEventListener("error", function () {
        if (s.parentNode) s.parentNode.removeChild(s); // so a later attempt injects it again
        reject(new Error("could not load " + src));
      });
      (doc.head || doc.documentElement).appendChild(s);
    });
  }

  // One engine per page, shared by every box on it.
  var Engine = {
    promise: null, engine: null, startedAt: 0,
    load: function (cfg) {
      if (this.promise) return this.promise;
      var self = this;
      self.startedAt = now();
      var loaded = !!window.HelpgenSearch;
      // The scripts download side by side (async=false keeps their order) and so does the index.
      var scripts = loaded ? Promise.resolve() : Promise.all(cfg.scripts.map(loadScript));
      var index = loaded || cfg.offline ? null : fetch(cfg.data + "index.json").then(function (r) {
        if (!r.ok) throw new Error("search index: HTTP " + r.status);
        return r.json();
      });
      if (index) index.catch(function () { /* reported by api.load below */ });
      self.promise = scripts.then(function () {
        var api = window.HelpgenSearch;
        if (!api || typeof api.load !== "function") throw new Error("HelpgenSearch is missing");
        return api.load(cfg.data, { offline: cfg.offline, index: index });
      }).then(function (engine) {
        if (!engine || typeof engine.search !== "function") throw new Error("no search engine");
        self.engine = engine;
        return engine;
      }, function (err) {
        self.promise = null; // let the next focus try again
        throw err;
      });
      return self.promise;
    },
    // ms left before a loading indicator is worth showing
    loadingWait: function () { return Math.max(0, LOADING_DELAY - (now() - this.startedAt)); }
  };

  // Results of q for the reader's audience, the first `name` named (url, title, breadcrumb) and
  // the first `describe` of those also described (section heading, anchor): a promise.
  function find(q, live, describe, name) {
    var audience = window.HelpgenAudience;  // contact.js: the reader's chosen audience
    var allows = audience ? function (a) { return audience.allows(a); } : null;
    return Engine.engine.find(q, { live: live, limit: 500, describe: describe, name: name, allows: allows })
      .then(function (out) { return Array.isArray(out) ? out : []; });
  }
  // Once results are on screen, every page row comes in one download in the background: later
  // results are named (title, link, trail) without waiting for a request.
  function afterResults() {
    var e = Engine.engine;
    if (!e || typeof e.loadAllPages !== "function" || e.allPagesLoading) return;
    setTimeout(function () {
      e.loadAllPages().catch(function () { /* rows still come in chunks */ });
    }, 0);
  }
  function highlight(text, q) {
    var e = Engine.engine;
    if (text && e && typeof e.highlight === "function") {
      try { var segs = e.highlight(text, q); if (Array.isArray(segs)) return segs; } catch (err) { /* plain text */ }
    }
    return [[text || "", false]];
  }
  function suggest(q) {
    var e = Engine.engine;
    if (!e || typeof e.suggest !== "function") return null;
    try {
      var s = e.suggest(q);
      return s && typeof s === "string" && s.trim() && s.trim() !== q ? s.trim() : null;
    } catch (err) { return null; }
  }

  // Result URLs are site-root paths ("en/orders/cancel/#before-it-ships"), linked by the engine.
  function resultHref(cfg, url) { return window.HelpgenSearch.href(url, cfg.root, cfg.offline); }
  // "Orders › Tracking", the separators hidden from screen readers (as in partials/article_list.html).
  function trail(tag, cls, r) {
    var crumbs = Array.isArray(r.breadcrumb) ? r.breadcrumb.filter(Boolean) : [];
    if (crumbs.length && crumbs[crumbs.length - 1] === r.title) crumbs.pop(); // a topic's own name
    if (!crumbs.length) return null;
    var node = el(tag, cls);
    crumbs.forEach(function (c, i) {
      if (i) {
        node.appendChild(doc.createTextNode(" "));
        var sep = el("span", "trail-sep", "\u203a");
        sep.setAttribute("aria-hidden", "true");
        node.appendChild(sep);
        node.appendChild(doc.createTextNode(" "));
      }
      node.appendChild(doc.createTextNode(String(c)));
    });
    return node;
  }
  function sectionHeading(r) {
    return r.heading && r.heading !== r.title ? String(r.heading) : "";
  }
  function searchPageHref(form, q) {
    var action = form.getAttribute("action") || "";
    return action + (q ? "?" + new URLSearchParams({ q: q }).toString() : "");
  }

  // Polite announcements, delayed until typing settles so screen readers hear only the last count.
  function Announcer(region) {
    this.region = region;
    this.timer = 0;
    this.last = "";
  }
  Announcer.prototype.say = function (msg, delay) {
    var self = this;
    clearTimeout(self.timer);
    self.timer = setTimeout(function () {
      if (msg === self.last) return;
      self.last = msg;
      self.region.textContent = msg;
    }, delay == null ? ANNOUNCE_DELAY : delay);
  };
  Announcer.prototype.reset = function () { clearTimeout(this.timer); this.last = ""; this.region.textContent = ""; };

  // --------------------------------------------------------------- instant results (combobox)
  // helpgen.js made the box a combobox and added its drop-down and live region.
  function Instant(form) {
    var input = form.querySelector("input[name='q']");
    var popup = form.querySelector(".search-popup");
    var region = form.querySelector("[role=status]");
    if (!input || !popup || !region) return;
    var cfg = config(form);
    var str = cfg.strings;
    var id = input.id;
    var status = popup.querySelector(".search-popup-status");
    var list = popup.querySelector("[role=listbox]");
    var announcer = new Announcer(region);

    var options = [];      // [{node, kind: "result"|"all"|"suggest", href, value}]
    var active = -1;
    var shown = null;      // query whose results are in the list
    var timer = 0, loadingTimer = 0;
    var failed = false;
    // Instant, not debounced: a key searches at once unless a search is still running; then the
    // latest text is searched when it ends, after a rest as long as that search took.
    var busy = false, again = false, cost = 0, lastEnd = 0;
    var selectFirst = false; // ↓ opened the list: select its first option once it is shown
    var closings = 0;        // a list closed (Esc, Tab, blur) while a search ran stays closed

    function isOpen() { return !popup.hidden; }
    // Width: at least the box, up to ~36rem, growing toward the inline end without leaving the
    // viewport; height: what is left below the box (phones: above the on-screen keyboard).
    function place() {
      var r = form.getBoundingClientRect();
      var vw = doc.documentElement.clientWidth || window.innerWidth;
      var vh = window.visualViewport ? window.visualViewport.height : window.innerHeight;
      var rem = parseFloat(getComputedStyle(doc.documentElement).fontSize) || 16;
      var rtl = getComputedStyle(form).direction === "rtl";
      var room = rtl ? r.right - 8 : vw - r.left - 8;
      popup.style.width = Math.round(Math.max(r.width, Math.min(36 * rem, room))) + "px";
      popup.style.maxHeight = Math.round(Math.max(10 * rem, Math.min(34 * rem, vh - r.bottom - 12))) + "px";
    }
    function open() {
      place();
      popup.hidden = false;
      form.classList.add("is-open");
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
    }
    function close() {
      closings++;
      clearTimeout(timer);
      clearTimeout(loadingTimer);
      popup.hidden = true;
      form.classList.remove("is-open");
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }
    function setStatus(content, cls) {
      status.className = "search-popup-status" + (cls ? " " + cls : "");
      status.textContent = "";
      if (content) status.appendChild(typeof content === "string" ? doc.createTextNode(content) : content);
      status.hidden = !content;
    }
    function setActive(i, scroll) {
      if (active >= 0 && options[active]) options[active].node.removeAttribute("aria-selected");
      active = i;
      if (i >= 0 && options[i]) {
        var node = options[i].node;
        node.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", node.id);
        if (scroll && node.scrollIntoView) node.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function move(step) {
      if (!options.length) return;
      var next = active + step;
      if (active < 0) next = step > 0 ? 0 : options.length - 1;
      else if (next >= options.length) next = 0;
      else if (next < 0) next = options.length - 1;
      setActive(next, true);
    }
    // Options are links (pointer users get middle-click / open in new tab) with role=option;
    // focus stays in the box, the active one is aria-activedescendant.
    function addOption(opt, content) {
      var a = el("a", "search-option search-option--" + opt.kind);
      a.id = id + "-option-" + options.length;
      a.setAttribute("role", "option");
      a.setAttribute("href", opt.href);
      a.tabIndex = -1;
      a.appendChild(content);
      list.appendChild(a);
      opt.node = a;
      options.push(opt);
    }
    function resultContent(r, q) {
      var box = doc.createDocumentFragment();
      box.appendChild(appendSegments(el("span", "search-option-title"), highlight(String(r.title || ""), q)));
      var heading = sectionHeading(r);
      if (heading) box.appendChild(appendSegments(el("span", "search-option-heading"), highlight(heading, q)));
      var path = trail("span", "search-option-trail", r);
      if (path) box.appendChild(path);
      return box;
    }

    function render(q, results) {
      settled(q, results);
      list.textContent = "";
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      shown = q;
      var top = results.slice(0, MAX_INSTANT);
      top.forEach(function (r) {
        addOption({ kind: "result", href: resultHref(cfg, r.url), result: r }, resultContent(r, q));
      });
      if (top.some(function (r) { return !r.described; })) describe(q, top, options.slice());
      if (results.length) {
        var weak = results[0].weak;  // none matches enough of the query: these come closest
        setStatus(weak ? fill(str, el("span"), str.get("search_weak_results"), { query: queryNode(q) }) : "", "is-weak");
        addOption({ kind: "all", href: searchPageHref(form, q) }, el("span", "search-option-all", str.get("search_see_all")));
        announcer.say(weak ? format(str, str.get("search_weak_results"), { query: q })
          : format(str, str.plural("search_results_count", results.length), { n: results.length }));
      } else {
        setStatus(fill(str, el("span"), str.get("search_no_results"), { query: queryNode(q) }), "is-empty");
        var hint = suggest(q);
        if (hint) {
          addOption({ kind: "suggest", href: searchPageHref(form, hint), value: hint },
            fill(str, el("span", "search-option-suggest"), str.get("search_did_you_mean"), { suggestion: el("strong", null, hint) }));
        }
        announcer.say(format(str, str.get("search_no_results"), { query: q }) + (hint ? ". " + format(str, str.get("search_did_you_mean"), { suggestion: hint }) : ""));
      }
      open();
      if (selectFirst && options.length) setActive(0, true);
      selectFirst = false;
      if (results.length) afterResults();
    }

    // The results are listed as soon as they are ranked; the section each one lands on (its
    // heading, and the anchor of its link) comes with a small fetch, and is filled in then.
    function describe(q, top, opts) {
      Engine.engine.describe(top).then(function () {
        if (shown !== q || options[0] !== opts[0]) return;
        opts.forEach(function (opt) {
          var r = opt.result;
          opt.href = resultHref(cfg, r.url);
          opt.node.setAttribute("href", opt.href);
          var heading = sectionHeading(r), title = opt.node.firstChild;
          if (heading && title && !opt.node.querySelector(".search-option-heading")) {
            opt.node.insertBefore(appendSegments(el("span", "search-option-heading"), highlight(heading, q)), title.nextSibling);
          }
        });
      }, function () { /* the links still open the right pages, at the top */ });
    }

    // A status line instead of results ("Loading…", an error).
    function showStatus(text, cls) {
      list.textContent = "";
      options = [];
      setActive(-1);
      shown = null;
      setStatus(text, cls);
      open();
    }
    function showLoading() {
      if (Engine.engine || failed || !searchable(input.value.trim())) return;
      showStatus(str.get("search_loading"), "is-loading");
    }
    function showError() {
      failed = true;
      showStatus(str.get("search_error"), "is-error");
      announcer.say(str.get("search_error"), 0);
    }

    function ensureEngine() {
      if (Engine.engine) return Promise.resolve(Engine.engine);
      failed = false;
      return Engine.load(cfg).then(function (engine) {
        clearTimeout(loadingTimer);
        if (doc.activeElement === input) update();
        return engine;
      }, function (err) {
        clearTimeout(loadingTimer);
        if (doc.activeElement === input && input.value.trim()) showError();
        if (window.console) console.warn("helpgen search:", err && err.message ? err.message : err);
      });
    }

    function update() {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q || !searchable(q)) { shown = null; announcer.reset(); close(); return; }
      if (!Engine.engine) {
        if (failed) { showError(); return; }
        ensureEngine();
        clearTimeout(loadingTimer);
        loadingTimer = setTimeout(showLoading, Engine.loadingWait());
        return;
      }
      if (q === shown) { if (!isOpen()) open(); return; }
      if (busy) { again = true; return; }
      busy = true;
      var started = now(), closed = closings;
      var done = function () {
        busy = false;
        lastEnd = now();
        cost = lastEnd - started;
        if (again) { again = false; schedule(); }
      };
      find(q, true, 0, MAX_INSTANT).then(function (results) {
        done();
        if (q === input.value.trim() && doc.activeElement === input && closed === closings) render(q, results);
      }, function (err) {
        done();
        if (window.console) console.warn("helpgen search:", err && err.message ? err.message : err);
        showError();
      });
    }
    function schedule() {
      clearTimeout(timer);
      if (busy) { again = true; return; }
      var wait = Math.max(0, lastEnd + cost - now());
      if (wait > 0) timer = setTimeout(update, wait); else update();
    }

    function activate(opt, newTab) {
      if (opt.kind === "suggest") {
        input.value = opt.value;
        shown = null;
        update();
        return;
      }
      var href = opt.node.href;
      if (window.HelpgenFeedback && window.HelpgenFeedback.opened) window.HelpgenFeedback.opened(href);
      if (newTab) { window.open(href, "_blank", "noopener"); return; }
      close();
      window.location.assign(href);
    }

    function focused() {
      ensureEngine();
      if (input.value.trim()) schedule();
    }
    input.addEventListener("focus", focused);
    input.addEventListener("click", function () {
      if (!isOpen() && input.value.trim()) { shown = null; update(); }
    });
    input.addEventListener("input", function (e) {
      if (e.isComposing) return; // CJK input methods: wait for the composed text
      setActive(-1); // Enter before the list catches up must not open a stale option
      schedule();
    });
    input.addEventListener("compositionend", function () { schedule(); });
    input.addEventListener("keydown", function (e) {
      if (e.isComposing || e.keyCode === 229) return;
      switch (e.key) {
        case "ArrowDown":
        case "Down":
          e.preventDefault();
          if (!isOpen()) {
            if (!input.value.trim()) return;
            shown = null;
            selectFirst = true;
            update();
          } else {
            move(1);
          }
          break;
        case "ArrowUp":
        case "Up":
          if (!isOpen()) return;
          e.preventDefault();
          move(-1);
          break;
        case "Enter":
          if (isOpen() && active >= 0 && options[active]) {
            e.preventDefault();
            activate(options[active], e.ctrlKey || e.metaKey || e.shiftKey);
          }
          // otherwise the form submits to the search page
          break;
        case "Escape":
        case "Esc":
          if (isOpen()) {
            e.preventDefault();
            close();
          } else if (input.value) {
            e.preventDefault();
            input.value = "";
            shown = null;
            announcer.reset();
          }
          break;
        case "Tab":
          close();
          break;
      }
    });
    // Clicking in the drop-down must not blur the box (the click still follows the link).
    popup.addEventListener("mousedown", function (e) { e.preventDefault(); });
    list.addEventListener("click", function (e) {
      var li = e.target.closest ? e.target.closest("[role='option']") : null;
      if (!li) return;
      for (var i = 0; i < options.length; i++) {
        if (options[i].node !== li) continue;
        if (options[i].kind === "suggest") { e.preventDefault(); activate(options[i]); input.focus(); }
        else if (!(e.ctrlKey || e.metaKey || e.shiftKey || e.button === 1)) close();
        return;
      }
    });
    list.addEventListener("mousemove", function (e) {
      var li = e.target.closest ? e.target.closest("[role='option']") : null;
      if (!li) return;
      for (var i = 0; i < options.length; i++) if (options[i].node === li && i !== active) setActive(i, false);
    });
    form.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) {
        // relatedTarget is null when focus leaves the window; keep the list for when it comes back
        if (e.relatedTarget || doc.hasFocus()) close();
      }
    });
    doc.addEventListener("pointerdown", function (e) {
      if (isOpen() && !form.contains(e.target)) close();
    }, true);
    window.addEventListener("resize", function () { if (isOpen()) place(); });
    if (window.visualViewport) window.visualViewport.addEventListener("resize", function () { if (isOpen()) place(); });
    // Back/forward cache: don't come back to a stale open list.
    window.addEventListener("pageshow", function (e) { if (e.persisted) close(); });
    // Loaded by the box's first use: it may have the focus, and some text, already.
    if (doc.activeElement === input) focused();
  }

  // ------------------------------------------------------------------------------ search page
  function ResultsPage(form, pageEl) {
    var input = form.querySelector("input[name='q']");
    var output = pageEl.querySelector("[data-search-output]");
    var fallback = pageEl.querySelector("[data-search-fallback]");
    var region = pageEl.querySelector("[data-search-live]");
    if (!input || !output) return;
    if (!region) {
      region = el("div", "visually-hidden");
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      pageEl.appendChild(region);
    }
    var cfg = config(form);
    var str = cfg.strings;
    var announcer = new Announcer(region);
    var baseTitle = doc.title;
    var timer = 0, loadingTimer = 0;
    var generation = 0;
    var pending = null;    // {q, live} waiting for the engine
    var observer = null;

    function showFallback(on) { if (fallback) fallback.hidden = !on; }
    function setOutput(nodes) {
      if (observer) { observer.disconnect(); observer = null; }
      output.textContent = "";
      nodes.forEach(function (n) { output.appendChild(n); });
      output.hidden = !nodes.length;
    }
    function setUrl(q) {
      try {
        var params = new URLSearchParams(window.location.search);
        if (q) params.set("q", q); else params.delete("q");
        var qs = params.toString();
        var next = window.location.pathname + (qs ? "?" + qs : "") + window.location.hash;
        if (next !== window.location.pathname + window.location.search + window.location.hash) {
          history.replaceState(history.state, "", next);
        }
      } catch (e) { /* file:// in some browsers: the URL just doesn't follow */ }
      doc.title = q ? q + " – " + baseTitle : baseTitle;
    }

    function loadingState() {
      if (Engine.engine || !pending) return;
      var p = el("p", "search-loading", str.get("search_loading"));
      setOutput([p]);
      pageEl.setAttribute("aria-busy", "true");
    }
    function errorState() {
      pageEl.removeAttribute("aria-busy");
      var box = el("div", "notice search-error");
      box.appendChild(el("p", null, str.get("search_error")));
      setOutput([box]);
      showFallback(true);
      announcer.say(str.get("search_error"), 0);
    }

    function run(raw, live) {
      clearTimeout(timer);
      var q = raw.trim();
      setUrl(q);
      generation++;
      if (!q) {
        pending = null;
        setOutput([]);
        showFallback(true);
        announcer.reset();
        return;
      }
      if (!Engine.engine) {
        pending = { q: q, live: live };
        showFallback(false);
        ensure();
        return;
      }
      pending = null;
      var gen = generation;
      find(q, live, PAGE_DESCRIBED).then(function (results) {
        // A shared link or a reload holds the last thing typed: retry a half-typed last word as a prefix.
        return !live && !results.length ? find(q, true, PAGE_DESCRIBED) : results;
      }).then(function (results) {
        if (gen !== generation) return;
        if (results.length) render(q, results); else renderEmpty(q);
      }, function (err) {
        if (window.console) console.warn("helpgen search:", err && err.message ? err.message : err);
        if (gen === generation) errorState();
      });
    }

    function render(q, results) {
      settled(q, results);
      var gen = generation;
      // Weak results: no article matches enough of the query, these few come closest.
      var template = results[0].weak ? str.get("search_weak_results") : str.plural("search_results_for", results.length);
      var summary = fill(str, el("p", "search-summary"), template, { n: results.length, query: queryNode(q) });
      var ol = el("ol", "search-results");
      ol.setAttribute("role", "list");
      ol.setAttribute("aria-label", str.get("search_results_label"));
      var wanted = [];
      results.forEach(function (r) {
        var w = { li: el("li", "search-result"), p: el("p", "search-result-snippet is-pending"), r: r };
        w.li.appendChild(w.p);
        show(w, q);
        wanted.push(w);
        ol.appendChild(w.li);
      });
      pageEl.removeAttribute("aria-busy");
      // The engine also suggests a spelling when a misspelt word still matched something (fuzzily).
      var hint = suggest(q);
      setOutput(hint ? [summary, didYouMean(hint), ol] : [summary, ol]);
      showFallback(false);
      announcer.say(format(str, template, { n: results.length, query: q }));
      snippets(wanted, q, gen);
      afterResults();
    }

    // A result's row shows what the engine knows of it: a row further down learns its page (trail,
    // linked title) and section only as it nears the viewport; until then it is a placeholder.
    function show(w, q) {
      var r = w.r;
      if (r.named && !w.a) {
        var path = trail("p", "search-result-trail", r);
        if (path) w.li.insertBefore(path, w.p);
        var h = el("h2", "search-result-title");
        w.a = el("a", "search-result-link");
        appendSegments(w.a, highlight(String(r.title || ""), q));
        h.appendChild(w.a);
        w.li.insertBefore(h, w.p);
      }
      if (w.a) w.a.setAttribute("href", resultHref(cfg, r.url));
      var heading = r.described && !w.heading ? sectionHeading(r) : "";
      if (heading) {
        w.heading = appendSegments(el("p", "search-result-section"), highlight(heading, q));
        w.li.insertBefore(w.heading, w.p);
      }
    }

    // Rows and snippets may need more data from the engine: ask only for rows near the viewport.
    function snippets(wanted, q, gen) {
      function fetchOne(w) {
        if (w.done) return;
        w.done = true;
        var engine = Engine.engine;
        var promise = engine.describe([w.r]).then(function () {
          if (gen === generation) show(w, q);
        }).then(function () { return engine.snippet(w.r, q); });
        promise.then(function (segs) {
          if (gen !== generation) return;
          w.p.classList.remove("is-pending");
          if (Array.isArray(segs) && segs.length) appendSegments(w.p, segs);
          if (!w.p.textContent.trim()) w.li.removeChild(w.p);
        }, function () {
          if (gen === generation && w.p.parentNode) w.li.removeChild(w.p);
        });
      }
      if (!wanted.length) return;
      if (!("IntersectionObserver" in window)) { wanted.forEach(fetchOne); return; }
      var byLi = new Map();
      wanted.forEach(function (w) { byLi.set(w.li, w); });
      observer = new IntersectionObserver(function (entries, obs) {
        entries.forEach(function (en) {
          if (!en.isIntersecting) return;
          obs.unobserve(en.target);
          fetchOne(byLi.get(en.target));
        });
      }, { rootMargin: "600px 0px" });
      wanted.forEach(function (w) { observer.observe(w.li); });
    }

    // "Did you mean X?": a real link to ?q=X, followed in place.
    function didYouMean(hint) {
      var a = el("a", "search-suggest-link", hint);
      a.setAttribute("href", searchPageHref(form, hint));
      a.setAttribute("dir", "auto");
      a.addEventListener("click", function (e) {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        input.value = hint;
        input.focus();
        run(hint, false);
      });
      return fill(str, el("p", "search-suggest"), str.get("search_did_you_mean"), { suggestion: a });
    }

    function renderEmpty(q) {
      settled(q, []);
      var box = el("div", "search-empty");
      box.appendChild(fill(str, el("h2", "search-empty-title"), str.get("search_no_results"), { query: queryNode(q) }));
      var hint = suggest(q);
      var said = format(str, str.get("search_no_results"), { query: q });
      if (hint) {
        box.appendChild(didYouMean(hint));
        said += ". " + format(str, str.get("search_did_you_mean"), { suggestion: hint });
      }
      box.appendChild(el("p", "search-empty-tip", str.get("search_no_results_tip")));
      pageEl.removeAttribute("aria-busy");
      setOutput([box]);
      showFallback(true);
      announcer.say(said);
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      run(input.value, false);
    });
    input.addEventListener("input", function (e) {
      if (e.isComposing) return;
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value, true); }, PAGE_DELAY);
    });
    input.addEventListener("compositionend", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value, true); }, PAGE_DELAY);
    });
    input.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && input.value) {
        e.preventDefault();
        input.value = "";
        run("", true);
      }
    });

    var initial = new URLSearchParams(window.location.search).get("q") || "";
    if (initial) {
      input.value = initial;
      showFallback(false);
      pending = { q: initial.trim(), live: false };
      if (doc.activeElement === input && input.setSelectionRange) {
        try { input.setSelectionRange(initial.length, initial.length); } catch (e) { /* type=search may refuse */ }
      }
      setUrl(initial.trim());
    }
    var waitingOn = null;  // the engine promise this page already listens to
    function ensure() {
      var promise = Engine.load(cfg);
      if (promise === waitingOn) return;
      waitingOn = promise;
      clearTimeout(loadingTimer);
      loadingTimer = setTimeout(loadingState, Engine.loadingWait());
      promise.then(function () {
        clearTimeout(loadingTimer);
        pageEl.removeAttribute("aria-busy");
        var p = pending;
        if (p) run(p.q, p.live);
      }, function (err) {
        clearTimeout(loadingTimer);
        if (window.console) console.warn("helpgen search:", err && err.message ? err.message : err);
        if (pending) errorState(); else pageEl.removeAttribute("aria-busy");
      });
    }
    ensure();
  }

  // ------------------------------------------------------------------------------------ start
  $$("form[data-search]").forEach(function (form) {
    try {
      var mode = form.getAttribute("data-search");
      var pageEl = form.closest ? form.closest(".search-page") : null;
      if (mode === "results" && pageEl) ResultsPage(form, pageEl);
      else Instant(form);
    } catch (e) {
      // An enhancement failing must never break the page: the form still submits.
      if (window.console) console.warn("helpgen search:", e);
    }
  });
})(typeof window !== "undefined" ? window : (typeof globalThis !== "undefined" ? globalThis : this));
