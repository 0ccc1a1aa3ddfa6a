/*! helpgen guided troubleshooters: one step at a time. Without this script every step shows and
    its answers are plain links to #step-id, so the guide works anyway.

    Markup (markdown.py): <div data-helpgen="guide"> with one <section data-helpgen="guide-step"
    id="STEP-ID"> per step. Each step shown is a history entry (its #STEP-ID in the address), so
    the browser's Back and the Back button agree; history.state holds the path taken. */
(function () {
  "use strict";
  var doc = document;
  var script = doc.currentScript; // only while this file first runs
  var KEY = "helpgenGuide";

  function words(name, fallback) {
    return (script && script.getAttribute("data-" + name)) || fallback;
  }
  var BACK = words("back", "Back");
  var RESTART = words("start-over", "Start over");
  var CONTROLS = words("controls", "");

  function init() {
    var root = doc.querySelector('[data-helpgen="guide"]');
    if (!root || !window.history || !history.pushState) return;
    var steps = Array.prototype.slice.call(root.querySelectorAll('[data-helpgen="guide-step"]'));
    if (!steps.length) return;
    var byId = {};
    steps.forEach(function (step) {
      byId[step.id] = step;
      var heading = step.querySelector("h2");
      if (heading) heading.setAttribute("tabindex", "-1");
      if (!step.querySelector(".guide-options")) step.classList.add("guide-step--end");
    });
    var start = steps[0];
    var current = null;
    var path = [];

    // Back and Start over, after the steps.
    var controls = doc.createElement("div");
    controls.className = "guide-controls";
    controls.setAttribute("role", "group");
    if (CONTROLS) controls.setAttribute("aria-label", CONTROLS);
    function button(action, label) {
      var b = doc.createElement("button");
      b.type = "button";
      b.className = "button button--secondary guide-" + action;
      b.setAttribute("data-guide-action", action);
      b.textContent = label;
      controls.appendChild(b);
      return b;
    }
    var back = button("back", BACK);
    var restart = button("restart", RESTART);
    root.appendChild(controls);
    root.classList.add("is-guided");

    // The element a "#id" names, and the step it is in (null: not part of this guide).
    function target(hash) {
      var id = (hash || "").replace(/^#/, "");
      if (!id) return null;
      try { id = decodeURIComponent(id); } catch (e) { /* keep it as written */ }
      var el = doc.getElementById(id);
      var step = el && el.closest('[data-helpgen="guide-step"]');
      return step && byId[step.id] === step ? { el: el, step: step } : null;
    }

    function state(extra) {
      var s = {};
      var old = history.state;
      if (extra && old && typeof old === "object") {
        for (var k in old) if (Object.prototype.hasOwnProperty.call(old, k)) s[k] = old[k];
      }
      s[KEY] = path.slice();
      return s;
    }

    function show(step, focus, el) {
      current = step;
      steps.forEach(function (s) { s.hidden = s !== step; });
      back.hidden = path.length < 2;
      restart.hidden = step === start && path.length < 2;
      controls.hidden = back.hidden && restart.hidden;
      var heading = step.querySelector("h2");
      if (focus && heading) heading.focus({ preventScroll: true });
      // an element inside the step, or a step the address named, is scrolled to; a step
      // chosen here only when its top is out of sight
      var into = el || step;
      var top = into.getBoundingClientRect().top;
      var away = top < 0 || top > window.innerHeight * 0.66;
      if ((el && el !== step) || (el && !focus) || (focus && away)) into.scrollIntoView({ block: "start" });
    }

    function go(found) {
      path.push(found.step.id);
      history.pushState(state(false), "", "#" + found.el.id);
      show(found.step, true, found.el);
    }

    // Where the address says, else the start; a reload keeps the path taken.
    var saved = history.state && history.state[KEY];
    var here = target(location.hash);
    var first = here ? here.step : start;
    path = saved && saved.length && saved[saved.length - 1] === first.id ? saved.slice() : [first.id];
    history.replaceState(state(true), "");
    show(first, false, here ? here.el : null);

    root.addEventListener("click", function (e) {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      var a = e.target.closest ? e.target.closest("a[href]") : null;
      var href = a && a.getAttribute("href");
      if (!href || href.charAt(0) !== "#") return; // articles and contact: are ordinary links
      var found = target(href);
      if (!found) return;
      e.preventDefault();
      if (found.step === current && found.el === found.step) {
        history.replaceState(state(true), "", "#" + found.el.id); // a permalink: just show it
        return;
      }
      go(found);
    });

    back.addEventListener("click", function () {
      if (path.length > 1) history.back();
    });

    restart.addEventListener("click", function () {
      path = [start.id];
      history.pushState(state(false), "", location.pathname + location.search);
      show(start, true);
    });

    // The browser's Back and Forward, and #links followed some other way.
    function sync() {
      var s = history.state && history.state[KEY];
      if (s && s.length && byId[s[s.length - 1]]) {
        var step = byId[s[s.length - 1]];
        if (step === current && s.join("\n") === path.join("\n")) return;
        path = s.slice();
        var at = target(location.hash);
        show(step, true, at && at.step === step ? at.el : null);
        return;
      }
      var found = target(location.hash);
      if (!found) return; // e.g. the skip link's #main: not a step
      if (found.step !== current) path.push(found.step.id);
      history.replaceState(state(true), "");
      show(found.step, found.step !== current, found.el);
    }
    window.addEventListener("popstate", sync);
    window.addEventListener("hashchange", sync);
  }

  function safe() {
    try { init(); } catch (e) { /* an enhancement failing must never break the page */ }
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", safe);
  else safe();
})();
