/*! helpgen: the root of a multilingual site sends a reader to their language.
 *
 * Its script element holds the choices, data-locales='[["en", "en/"], ["he", "he/"], ...]', the
 * default first. The reader goes to: the language they chose in a language switcher before
 * (localStorage "helpgen-locale", kept by helpgen.js), else the first of the browser's languages
 * the site has: the same tag ("zh-CN"), else the same language in another region ("zh-TW" reads
 * "zh-CN", "he-IL" reads "he"), else the default. Without JavaScript, or if anything fails, the
 * root's links stay: the page works on its own. */
(function () {
  "use strict";
  var KEY = "helpgen-locale";
  var script = document.currentScript;
  if (!script) return;
  var choices;
  try { choices = JSON.parse(script.getAttribute("data-locales") || "[]"); } catch (e) { return; }
  if (!choices.length) return;

  function language(tag) { return String(tag).toLowerCase().split("-")[0]; }

  function find(tag) {
    var wanted = String(tag || "").toLowerCase();
    if (!wanted) return null;
    for (var i = 0; i < choices.length; i++) {
      if (choices[i][0].toLowerCase() === wanted) return choices[i];
    }
    for (var j = 0; j < choices.length; j++) {
      if (language(choices[j][0]) === language(wanted)) return choices[j];
    }
    return null;
  }

  var chosen = null;
  try {
    var stored = window.localStorage ? localStorage.getItem(KEY) : null;
    for (var k = 0; stored && k < choices.length; k++) {
      if (choices[k][0] === stored) chosen = choices[k];
    }
  } catch (e) { chosen = null; }
  var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  for (var n = 0; !chosen && n < wanted.length; n++) chosen = find(wanted[n]);
  window.location.replace((chosen || choices[0])[1]);
})();
