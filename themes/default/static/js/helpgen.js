/*! helpgen default theme — progressive enhancements only; every feature is optional. */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function $$(sel, ctx) { return Array.prototype.slice.call((ctx || doc).querySelectorAll(sel)); }
  function data(name, fallback) { return (doc.body && doc.body.getAttribute("data-" + name)) || fallback; }
  function safe(fn) { try { fn(); } catch (e) { /* an enhancement failing must never break the page */ } }

  // Screen-reader announcements.
  var live;
  function announce(msg) {
    if (!live) {
      live = doc.createElement("div");
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      doc.body.appendChild(live);
    }
    live.textContent = "";
    setTimeout(function () { live.textContent = msg; }, 50);
  }

  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) return navigator.clipboard.writeText(text);
    return Promise.reject(new Error("clipboard unavailable"));
  }

  // 1. Language switcher: close on outside click / Escape.
  safe(function () {
    var menus = $$("details.lang-switcher");
    if (!menus.length) return;
    doc.addEventListener("click", function (e) {
      menus.forEach(function (d) { if (d.open && !d.contains(e.target)) d.open = false; });
    });
    doc.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      menus.forEach(function (d) {
        if (!d.open) return;
        d.open = false;
        var s = d.querySelector("summary");
        if (s) s.focus();
      });
    });
  });

  // 1b. Remember the language a reader chooses, for the site's root (choose.js).
  safe(function () {
    $$(".lang-menu a[hreflang], .footer-links a[hreflang]").forEach(function (a) {
      a.addEventListener("click", function () {
        try { localStorage.setItem("helpgen-locale", a.getAttribute("hreflang")); } catch (e) { /* private mode */ }
      });
    });
  });

  // 2. Copy buttons on code blocks.
  safe(function () {
    $$(".prose pre").forEach(function (pre) {
      var host = pre.parentNode;
      if (host && host.classList && host.classList.contains("highlight")) {
        pre = host; host = host.parentNode;
      }
      if (!host || (host.classList && host.classList.contains("code-wrap"))) return;
      var wrap = doc.createElement("div");
      wrap.className = "code-wrap";
      host.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var btn = doc.createElement("button");
      btn.type = "button";
      btn.className = "copy-button";
      btn.textContent = data("copy", "Copy");
      btn.addEventListener("click", function () {
        var code = wrap.querySelector("code") || wrap.querySelector("pre");
        copyText(code ? code.textContent : "").then(function () {
          btn.textContent = data("copied", "Copied");
          btn.classList.add("is-done");
          announce(data("copied", "Copied"));
          setTimeout(function () {
            btn.textContent = data("copy", "Copy");
            btn.classList.remove("is-done");
          }, 2000);
        }, function () { /* clipboard blocked: leave the button as is */ });
      });
      wrap.appendChild(btn);
    });
  });

  // 3. Heading permalinks: clicking also copies the link.
  safe(function () {
    $$(".prose a.headerlink").forEach(function (a) {
      a.addEventListener("click", function () {
        copyText(a.href).then(function () { announce(data("link-copied", "Link copied")); }, function () {});
      });
    });
  });

  // 4. Make horizontally scrolling tables and code blocks keyboard-reachable.
  safe(function () {
    $$(".prose table, .prose pre").forEach(function (t) {
      if (t.scrollWidth > t.clientWidth + 1 && !t.hasAttribute("tabindex")) t.setAttribute("tabindex", "0");
    });
  });

  // 5. Table of contents: highlight the section being read.
  safe(function () {
    var links = $$(".toc--aside a[href^='#']");
    if (!links.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    var heads = [];
    links.forEach(function (a) {
      var id = decodeURIComponent(a.getAttribute("href").slice(1));
      var h = doc.getElementById(id);
      if (h) { byId[id] = a; heads.push(h); }
    });
    if (!heads.length) return;
    var visible = {};
    function update() {
      var current = null;
      for (var i = 0; i < heads.length; i++) {
        if (visible[heads[i].id]) { current = heads[i].id; break; }
      }
      if (!current) {
        // Nothing in view: use the last heading above the viewport.
        for (var j = heads.length - 1; j >= 0; j--) {
          if (heads[j].getBoundingClientRect().top < 0) { current = heads[j].id; break; }
        }
      }
      links.forEach(function (a) { a.classList.remove("is-active"); a.removeAttribute("aria-current"); });
      if (current && byId[current]) {
        byId[current].classList.add("is-active");
        byId[current].setAttribute("aria-current", "location");
      }
    }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { visible[e.target.id] = e.isIntersecting; });
      update();
    }, { rootMargin: "0px 0px -60% 0px" });
    heads.forEach(function (h) { io.observe(h); });
  });

  // 6. Inline TOC (mobile): close after choosing a section.
  safe(function () {
    $$("details.toc--inline a").forEach(function (a) {
      a.addEventListener("click", function () {
        var d = a.closest("details");
        if (d) d.open = false;
      });
    });
  });

  // 7. Search page: keep the query in the box.
  safe(function () {
    var q = new URLSearchParams(window.location.search).get("q");
    if (!q) return;
    $$("input[type='search'][name='q']").forEach(function (input) { if (!input.value) input.value = q; });
  });

  // 8. Printing: expand collapsed <details> so nothing is missing on paper.
  safe(function () {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      $$(".prose details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  });

  // 9. The rest of the theme's scripts, when a page uses them. This script's element names them
  // (data-search-ui, data-hours, data-contact), each with its version. A script already on the
  // page is not added twice; added ones run in the order they were added.
  var me = doc.currentScript;
  function load(name) {
    var src = me && me.getAttribute("data-" + name);
    if (!src || $$("script[src]").some(function (x) { return x.getAttribute("src") === src; })) return;
    var s = doc.createElement("script");
    s.src = src;
    s.async = false;
    s.addEventListener("error", function () { s.remove(); }); // the next use tries again
    doc.head.appendChild(s);
  }

  // 10. Instant search boxes: a combobox from the start (what search-ui.js expects to find: the
  // drop-down's listbox and status line, a live region), search-ui.js once a box is used. It then
  // picks up a box that already has the focus, and what was typed in it.
  safe(function () {
    if (!window.Promise) return; // search-ui.js would not run: plain forms to the search page
    $$("form[data-search]").forEach(function (form, n) {
      var input = form.querySelector("input[name='q']");
      if (!input || (form.getAttribute("data-search") === "results" && form.closest(".search-page"))) return;
      var strings = {};
      try { strings = JSON.parse(form.getAttribute("data-i18n")) || {}; } catch (e) { /* no label */ }
      input.id = input.id || "hg-search-" + n;
      var popup = doc.createElement("div");
      popup.className = "search-popup";
      popup.hidden = true;
      var status = doc.createElement("p");
      status.className = "search-popup-status";
      status.hidden = true;
      var list = doc.createElement("div");
      list.className = "search-listbox";
      list.id = input.id + "-listbox";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", strings.search_results_label || "");
      popup.appendChild(status);
      popup.appendChild(list);
      form.appendChild(popup);
      var region = doc.createElement("div");
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      region.setAttribute("aria-atomic", "true");
      form.appendChild(region);
      // ARIA in HTML: a combobox is a text box, never type="search" (inputmode keeps the keyboard).
      if (input.type === "search") { input.type = "text"; input.setAttribute("inputmode", "search"); }
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-controls", list.id);
      input.setAttribute("aria-expanded", "false");
      var use = function () { load("search-ui"); };
      form.addEventListener("pointerdown", use);
      form.addEventListener("focusin", use);
    });
  });

  // 11. Contact channels: hours.js labels opening hours and contact.js puts the reader's address
  // in the links once they come near the view (pages that need contact.js from the start, the
  // contact page and sites with audiences, name it themselves). Until then they read as without
  // JavaScript: the hours as text, the page's site path in the links.
  safe(function () {
    var near = $$("[data-helpgen=hours], a[data-context-url]");
    if (!near.length) return;
    function go() {
      if (doc.querySelector("[data-helpgen=hours]")) load("hours");
      if (doc.querySelector("a[data-context-url]")) load("contact");
    }
    if (!("IntersectionObserver" in window)) { go(); return; }
    var io = new IntersectionObserver(function (entries) {
      if (!entries.some(function (e) { return e.isIntersecting; })) return;
      io.disconnect();
      go();
    }, { rootMargin: "25% 0px" });
    near.forEach(function (n) { io.observe(n); });
  });
})();
