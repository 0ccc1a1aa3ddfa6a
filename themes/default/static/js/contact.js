/*! helpgen default theme — "Still need help?", the contact page and the audience switcher.
 * Progressive enhancement: without it every channel is a plain link carrying the page's context,
 * hours are plain text, the contact page lists the channels per topic, and every audience sees
 * everything. Text from the site is only ever inserted with textContent. */
(function () {
  "use strict";
  var doc = document;
  if (!doc.querySelectorAll || !window.JSON) return;
  var STORE = "helpgen-audience";

  function $$(sel, ctx) { return Array.prototype.slice.call((ctx || doc).querySelectorAll(sel)); }
  function safe(fn) { try { fn(); } catch (e) { /* an enhancement failing must never break the page */ } }
  function parseJSON(text, fallback) {
    try { var v = JSON.parse(text || ""); return v == null ? fallback : v; } catch (e) { return fallback; }
  }
  function pageAddress() { return location.href.split("#")[0]; }

  // ------------------------------------------------------------------ context in the links
  // Without base_url the build could only write the page's site path into mailto: bodies and
  // form parameters (data-context-url); the reader's real address is better. Only a whole
  // parameter value is replaced, never a piece of another one.
  function escapeRe(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function withContext(a) {
    var value = a.getAttribute("data-context-url");
    if (!value || a.getAttribute("data-context-done")) return;
    var href = a.getAttribute("href") || "";
    var re = new RegExp("(=)" + escapeRe(encodeURIComponent(value)) + "(?=&|%0A|#|$)", "g");
    a.setAttribute("href", href.replace(re, "$1" + encodeURIComponent(pageAddress())));
    a.setAttribute("data-context-done", "1");
  }

  // The customer's question, carried into an email body or a form's question parameter.
  function withQuestion(a, question) {
    var href = a.getAttribute("data-href-plain") || a.getAttribute("href") || "";
    if (!a.getAttribute("data-href-plain")) a.setAttribute("data-href-plain", href);
    if (!question) { a.setAttribute("href", href); return; }
    var type = a.getAttribute("data-channel-type");
    var param = a.getAttribute("data-question-param");
    var q = encodeURIComponent(question);
    var cut = href.indexOf("#");
    var hash = cut < 0 ? "" : href.slice(cut);
    href = cut < 0 ? href : href.slice(0, cut);
    if (type === "email" && /^mailto:/i.test(href)) {
      var m = /([?&]body=)([^&]*)/i.exec(href);
      href = m ? href.replace(m[0], m[1] + q + "%0A%0A" + m[2])
               : href + (href.indexOf("?") < 0 ? "?" : "&") + "body=" + q;
    } else if (param && /^https?:/i.test(href)) {
      href += (href.indexOf("?") < 0 ? "?" : "&") + encodeURIComponent(param) + "=" + q;
    } else {
      return;
    }
    a.setAttribute("href", href + hash);
  }

  // ------------------------------------------------------------------------------ audiences
  // The reader's audience: remembered, but only one this page offers (a site built for one
  // audience, or one without audiences, has no switcher: then it shows everything).
  var audience = null;
  try { audience = window.localStorage ? localStorage.getItem(STORE) : null; } catch (e) { audience = null; }
  var choices = $$("[data-audience-choice]").map(function (b) { return b.getAttribute("data-audience-choice"); });
  if (choices.indexOf(audience) < 0) audience = null;

  function allows(list) {
    return !audience || !list || !list.length || list.indexOf(audience) >= 0;
  }
  window.HelpgenAudience = {
    current: function () { return audience; },
    allows: allows
  };

  function applyAudience() {
    doc.documentElement.setAttribute("data-audience", audience || "");
    // the topic tree: cards, lists, the sidebar
    $$("[data-audiences]").forEach(function (node) {
      node.hidden = !allows((node.getAttribute("data-audiences") || "").split(" ").filter(Boolean));
    });
    // "Still need help?": the channels routed for this audience, else the general ones
    $$("[data-helpgen=contact], [data-contact-topic], [data-audience-variants]").forEach(function (block) {
      var lists = $$("[data-audience-variant]", block);
      if (!lists.length) return;
      var match = lists.filter(function (l) { return audience && l.getAttribute("data-audience-variant") === audience; })[0];
      lists.forEach(function (l) {
        l.hidden = match ? l !== match : l.getAttribute("data-audience-variant") !== "";
      });
    });
    $$("[data-helpgen=audience]").forEach(function (box) {
      var chosen = null;
      $$("[data-audience-choice]", box).forEach(function (b) {
        var on = (b.getAttribute("data-audience-choice") || "") === (audience || "");
        b.setAttribute("aria-pressed", on ? "true" : "false");
        if (on) chosen = b;
      });
      var current = box.querySelector("[data-audience-current]");
      if (current && chosen) current.textContent = chosen.textContent;
    });
  }

  safe(function () {
    $$("[data-helpgen=audience]").forEach(function (box) {
      box.hidden = false;
      $$("[data-audience-choice]", box).forEach(function (button) {
        button.addEventListener("click", function () {
          audience = button.getAttribute("data-audience-choice") || null;
          try {
            if (audience) localStorage.setItem(STORE, audience); else localStorage.removeItem(STORE);
          } catch (e) { /* private mode: this page only */ }
          box.open = false;
          var summary = box.querySelector("summary");
          if (summary) summary.focus();
          applyAudience();
          doc.dispatchEvent(new CustomEvent("helpgen:audience", { detail: audience }));
        });
      });
    });
    applyAudience();
  });

  // ------------------------------------------------- links (hours.js labels the hours itself)
  safe(function () { $$("a[data-channel-type]").forEach(withContext); });

  // ------------------------------------------------------------------- the contact page
  safe(function () {
    var form = doc.querySelector("form[data-helpgen=deflect]");
    if (!form) return;
    var select = form.querySelector("select[name=topic]");
    var question = form.querySelector("textarea[name=question]");
    var box = form.querySelector("[data-deflect-suggestions]");
    var list = box && box.querySelector("ul");
    var blocks = $$("[data-contact-topic]");
    var routed = {};  // topic path -> its block, for topics whose channels differ
    blocks.forEach(function (b) { routed[b.getAttribute("data-contact-topic")] = b; });
    var byTopic = doc.querySelector(".contact-by-topic");
    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); });

    // The channels of the picked topic: its own block, or its nearest routed parent's.
    function showTopic() {
      var path = select.value, shown = "";
      while (path) {
        if (routed[path]) { shown = path; break; }
        path = path.indexOf("/") < 0 ? "" : path.slice(0, path.lastIndexOf("/"));
      }
      blocks.forEach(function (b) {
        var on = b.getAttribute("data-contact-topic") === shown;
        b.hidden = !on;
        if (on && b.tagName === "DETAILS") b.open = true;
      });
      if (byTopic) byTopic.hidden = true;
      updateLinks();
    }
    function updateLinks() {
      var q = question.value.trim();
      $$("a[data-channel-type]", form.parentNode).forEach(function (a) { withQuestion(a, q); });
    }

    // Suggestions from the site's own search index while the customer types.
    var engine = null, loading = null, pending = 0;
    function load() {
      if (loading) return loading;
      var scripts = parseJSON(form.getAttribute("data-search-scripts"), []);
      var base = form.getAttribute("data-search-data");
      var offline = form.getAttribute("data-search-offline") === "true";
      loading = scripts.reduce(function (p, src) {
        return p.then(function () { return addScript(src); });
      }, Promise.resolve()).then(function () {
        return window.HelpgenSearch.load(base, { offline: offline });
      }).then(function (e) { engine = e; return e; });
      loading.catch(function () { loading = null; });
      return loading;
    }
    function addScript(src) {
      return new Promise(function (resolve, reject) {
        var known = $$("script[src]").some(function (x) { return x.getAttribute("src") === src; });
        if (known || (window.HelpgenSearch && /search-engine/.test(src))) { resolve(); return; }
        var s = doc.createElement("script");
        s.src = src; s.async = false;
        s.onload = function () { resolve(); };
        s.onerror = function () { reject(new Error(src)); };
        doc.head.appendChild(s);
      });
    }
    var offline = form.getAttribute("data-search-offline") === "true";
    function suggest() {
      var q = question.value.trim(), ticket = ++pending;
      updateLinks();
      if (q.length < 3 || !list) { if (box) box.classList.add("is-empty"); return; }
      load().then(function (e) {
        return e.find(q, { live: true, limit: 20, describe: 5 });
      }).then(function (results) {
        if (ticket !== pending) return;
        var root = form.getAttribute("data-search-root") || "";
        var shown = (results || []).filter(function (r) { return allows(r.audiences); }).slice(0, 5);
        list.textContent = "";
        shown.forEach(function (r) {
          var li = doc.createElement("li"), a = doc.createElement("a"), t = doc.createElement("span");
          a.href = window.HelpgenSearch.href(r.url, root, offline);
          t.className = "article-list-title";
          t.textContent = r.title + (r.heading ? " › " + r.heading : "");
          a.appendChild(t);
          li.appendChild(a);
          list.appendChild(li);
        });
        box.classList.toggle("is-empty", !shown.length);
      }, function () { if (box) box.classList.add("is-empty"); });
    }
    var timer = null;
    question.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 120);
    });
    select.addEventListener("change", showTopic);
    doc.addEventListener("helpgen:audience", showTopic);
    var fromUrl = /[?&]topic=([^&]*)/.exec(location.search);
    if (fromUrl) select.value = decodeURIComponent(fromUrl[1].replace(/\+/g, " "));
    showTopic();
  });
})();
