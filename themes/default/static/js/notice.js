/*! helpgen notices: hide a banner the reader dismissed (remembered per notice id) or whose end
    date has passed in the reader's clock (the site may not have been rebuilt since). Loaded right
    after the banners, without defer, so that neither flashes before it goes. */
(function () {
  "use strict";
  var PREFIX = "helpgen-notice-dismissed:";
  var doc = document;

  function store() {
    try { return window.localStorage || null; } catch (e) { return null; }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // Today in the reader's clock, as "YYYY-MM-DD": compared with data-end as text.
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function dismissed(ls, id) {
    try { return !!(ls && ls.getItem(PREFIX + id)); } catch (e) { return false; }
  }

  function hide(box) {
    box.hidden = true;
    var group = box.parentNode;
    if (group && group.getAttribute("data-helpgen") === "notices" &&
        !group.querySelector('[data-helpgen="notice"]:not([hidden])')) {
      group.hidden = true;
    }
  }

  var ls = store();
  var now = today();
  var boxes = doc.querySelectorAll('[data-helpgen="notice"]');
  Array.prototype.forEach.call(boxes, function (box) {
    var id = box.getAttribute("data-notice-id") || "";
    var end = box.getAttribute("data-end");
    if ((end && now > end) || (id && dismissed(ls, id))) {
      hide(box);
      return;
    }
    var close = box.querySelector("[data-notice-close]");
    if (!close || !id || !ls) return; // nowhere to remember it: keep the banner, no button
    close.hidden = false;
    close.addEventListener("click", function () {
      try { ls.setItem(PREFIX + id, now); } catch (e) { /* storage full or blocked: still hide */ }
      hide(box);
      // Focus must not be lost with the button: the next notice's button, else the content.
      var next = doc.querySelector('[data-helpgen="notice"]:not([hidden]) [data-notice-close]:not([hidden])');
      var target = next || doc.getElementById("main");
      if (target && typeof target.focus === "function") target.focus();
    });
  });
})();
