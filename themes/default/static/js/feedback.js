/*! helpgen default theme — "Was this helpful?", and what readers searched for in vain.
 * Events (schema v1, helpgen/feedback/schema.py) go to the [feedback] endpoint named on <body
 * data-feedback> with navigator.sendBeacon: a CORS-simple POST of text/plain JSON, no cookies,
 * nothing personal beyond what the reader typed. Without an endpoint nothing is sent and the
 * widget stays hidden. A reader's vote on a page is remembered in localStorage: counted once. */
(function () {
  "use strict";
  var doc = document;
  var body = doc.body;
  var endpoint = body && body.getAttribute("data-feedback");
  var SETTLE = 2000;  // ms without a new query: the search has settled
  if (!endpoint || !window.JSON) return;

  var locale = doc.documentElement.getAttribute("lang") || "";
  var page = body.getAttribute("data-page-url") || "";

  function id() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  // At most n characters (code points: an emoji is never cut in half).
  function cut(text, n) { return Array.from(text).slice(0, n).join(""); }
  // fetch with keepalive outlives the page and, unlike sendBeacon, can leave cookies out.
  function send(event) {
    event.v = 1; event.id = id(); event.locale = locale; event.page = page;
    var data = JSON.stringify(event);
    try {
      if (window.fetch) {
        fetch(endpoint, { method: "POST", body: data, keepalive: true, mode: "no-cors",
          credentials: "omit", headers: { "Content-Type": "text/plain" } }).catch(function () {});
        return;
      }
      if (navigator.sendBeacon) navigator.sendBeacon(endpoint, new Blob([data], { type: "text/plain" }));
    } catch (e) { /* nowhere to send it: never break the page */ }
  }
  function store(key, value) {
    try { if (value == null) return localStorage.getItem(key); localStorage.setItem(key, value); }
    catch (e) { return null; }
    return value;
  }
  window.HelpgenFeedback = { send: send };

  // ------------------------------------------------------------------- was this helpful?
  var box = doc.querySelector("[data-helpgen=feedback]");
  if (box) {
    var key = "helpgen-vote:" + page;
    var buttons = box.querySelector("[data-feedback-buttons]");
    var more = box.querySelector("[data-feedback-more]");
    var thanks = box.querySelector("[data-feedback-thanks]");
    var contact = box.querySelector("[data-feedback-contact]");
    var pending = null;  // a "no" waiting for its comment

    var done = function (vote) {
      buttons.hidden = true;
      more.hidden = true;
      thanks.hidden = false;
      if (vote === "no" && contact) contact.hidden = false;
    };
    var flush = function () {
      if (!pending) return;
      var comment = more.querySelector("textarea").value.trim();
      var event = { type: "vote", helpful: false };
      if (comment) event.comment = cut(comment, 2000);
      send(event);
      pending = null;
    };
    box.hidden = false;
    var before = store(key);
    if (before) done(before);
    box.addEventListener("click", function (e) {
      var b = e.target.closest ? e.target.closest("[data-vote]") : null;
      if (!b || store(key)) return;
      var vote = b.getAttribute("data-vote");
      store(key, vote);
      if (vote === "yes") { send({ type: "vote", helpful: true }); done("yes"); return; }
      pending = true;
      buttons.hidden = true;
      more.hidden = false;
      more.querySelector("textarea").focus();
    });
    more.addEventListener("submit", function (e) {
      e.preventDefault();
      flush();
      done("no");
    });
    // a reader who answers "no" and leaves without sending the comment is still counted
    window.addEventListener("pagehide", flush);
    doc.addEventListener("visibilitychange", function () { if (doc.visibilityState === "hidden") flush(); });
  }

  // --------------------------------------------------- contact: the reader went on to a person
  doc.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("[data-channel] a[href]") : null;
    var item = a && a.closest("[data-channel]");
    if (item) send({ type: "contact", channel: item.getAttribute("data-channel") });
  });

  // ------------------------------------------------------------------------- searches
  if (!body.hasAttribute("data-feedback-searches")) return;
  var current = null;  // {query, results, weak, settled}
  var timer = null;
  function flushSearch(clicked) {
    clearTimeout(timer);
    if (current && (current.settled || clicked)) {
      var event = { type: "search", query: cut(current.query, 200), results: current.results,
                    clicked: clicked || null };
      if (current.weak) event.weak = true;
      send(event);
    }
    current = null;
  }
  window.HelpgenFeedback.searched = function (query, results, weak) {
    var q = String(query || "").trim();
    if (!q) return;
    if (current && current.query === q) { current.results = results; current.weak = !!weak; return; }
    if (current && current.settled) flushSearch(null);
    current = { query: q, results: results, weak: !!weak, settled: false };
    clearTimeout(timer);
    timer = setTimeout(function () { if (current) current.settled = true; }, SETTLE);
  };
  // A result followed (clicked, or chosen with the keyboard: search-ui.js calls opened()). The
  // "see all results" and "did you mean" links lead to more searching, not to an answer.
  function opened(href) {
    if (!current) return;
    var url = new URL(href, location.href);
    var root = new URL(body.getAttribute("data-site-root") || "./", location.href);
    var path = url.pathname.indexOf(root.pathname) === 0 ? url.pathname.slice(root.pathname.length) : url.pathname;
    if (/(^|\/)search\/(index\.html)?$/.test(path)) return;
    flushSearch(decodeURIComponent(path));
  }
  window.HelpgenFeedback.opened = opened;
  doc.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest(".search-popup a[href], [data-search-output] a[href]") : null;
    if (a) opened(a.getAttribute("href"));
  });
  // A box submitted to the search page: that page reports the search, this one must not.
  doc.addEventListener("submit", function (e) {
    if (e.target.closest && e.target.closest("form[role=search]")) { clearTimeout(timer); current = null; }
  });
  window.addEventListener("pagehide", function () { flushSearch(null); });
})();
