/* helpgen opening hours: "Open now · closes 18:00" on contact channels, in the reader's time
 * zone and language. Twin of helpgen/hours.py: status() here computes exactly what status()
 * there does (tests/hours_vectors.json proves it in Python and in Chromium). Change both
 * together. Dependency-free, no eval, no innerHTML: runs under CSP default-src 'self'.
 *
 *   status(hoursJson, nowMs) -> {open, until, nextOpen, now}   (epoch ms or null)
 *   label(status, lang, readerTimeZone?, strings?, nowMs?) -> string
 *   apply(root?) -> number of elements labelled; then again every minute
 *
 * hoursJson is Hours.to_json(): {"always": true}, or
 *   {"tz": "Europe/Lisbon", "w": [[weekday 0=Mon, start minute, end minute], ...],
 *    "closed": ["2026-12-24", "12-25", ...]}    ("closed" may be left out)
 * with the intervals in the channel's local week, split at midnight. Wall times become instants
 * like Python's zoneinfo with fold=0: a repeated (fall-back) time is its first occurrence, a
 * skipped (spring-forward) time is read with the offset from before the gap. See hours.py.
 *
 * Markup contract of apply() (the template writes this; hours.js finds it by itself once the
 * document is parsed, so including the script is enough):
 *
 *   <span data-helpgen="hours"
 *         data-hours='{{ channel.hours.to_json() | tojson }}'
 *         data-hours-strings='{{ {"open_closes": ..., "opens_day": ..., "opens_today": ...,
 *                                   "open_always": ..., "closed": ...} | tojson }}'
 *   >{{ describe(channel.hours, locale) }}</span>
 *
 *   - data-helpgen="hours" and data-hours (JSON, required): the element to label. Use single
 *     quotes around the attribute values: Jinja's tojson escapes ' < > & but not ".
 *   - data-hours-strings (JSON, optional): the words, in the page's language; a missing key
 *     falls back to English. Keys, with their placeholders:
 *       open_closes  "Open now · closes {time}"     open, closes within 7 days
 *       opens_today  "Opens today {time}"            closed, opens later today (reader's day)
 *       opens_day    "Opens {day} {time}"            closed, opens another day ({day}: the
 *                                                    weekday, plus the date when 7+ days away)
 *       open_always  "Open 24/7"                     open, no end within 7 days
 *       closed       "Closed"                         closed, no opening within 14 days
 *   - the element's text is the no-JS fallback (e.g. describe()'s "Mon–Fri 09:00–18:00 (…)").
 *     apply() replaces it with the label (textContent), keeps it in data-hours-fallback and,
 *     unless the element already has a title, in title (a tooltip). It also sets
 *     data-hours-state="open" | "closed" for styling. Times and weekdays are shown in the
 *     reader's time zone, in the language of the nearest lang attribute (else the browser's).
 *   - a malformed element is left as it is. No aria-live: the label changes every minute.
 */
(function (root) {
  'use strict';

  var MINUTE = 60000;
  var DAY_MS = 86400000;
  var DAY_MINUTES = 1440;
  var UNTIL_HORIZON = 7 * DAY_MS;
  var NEXT_OPEN_HORIZON = 14 * DAY_MS;
  var FIRST_DAY = -1, LAST_DAY = 16; // local dates looked at, relative to now's (as in Python)
  var SELECTOR = '[data-helpgen="hours"][data-hours]';
  var STRINGS = {
    open_closes: 'Open now · closes {time}',
    opens_day: 'Opens {day} {time}',
    opens_today: 'Opens today {time}',
    open_always: 'Open 24/7',
    closed: 'Closed'
  };

  // ---- wall time <-> instant ---------------------------------------------------------------

  var wallFormats = {};

  /** The wall clock of time zone tz at instant ms: [year, month 1-12, day, hour, minute, s]. */
  function wallParts(tz, ms) {
    var fmt = wallFormats[tz];
    if (!fmt) {
      fmt = wallFormats[tz] = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
        timeZone: tz, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric',
        day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric'
      });
    }
    var out = {}, parts = fmt.formatToParts(ms);
    for (var i = 0; i < parts.length; i++) out[parts[i].type] = parts[i].value;
    var year = parseInt(out.year, 10);
    if (out.era === 'BC' || out.era === 'B') year = 1 - year;
    return [year, +out.month, +out.day, +out.hour % 24, +out.minute, +out.second];
  }

  /** Epoch ms of a wall time read as UTC (years below 100 stay themselves; days overflow). */
  function wallMs(year, month, day, minutes) {
    var d = new Date(0);
    d.setUTCFullYear(year, month - 1, day);
    d.setUTCHours(0, minutes, 0, 0);
    return d.getTime();
  }

  /** The UTC offset (ms) of tz at instant ms. */
  function offset(tz, ms) {
    var p = wallParts(tz, ms);
    var wall = wallMs(p[0], p[1], p[2], p[3] * 60 + p[4]) + p[5] * 1000;
    return wall - (ms - (((ms % 1000) + 1000) % 1000));
  }

  /** A wall time (ms, read as UTC) of tz -> the instant, as Python's zoneinfo with fold=0:
   *  use the offset from before a transition for every wall time earlier than the later of
   *  the two clock readings at it (a repeated time: its first occurrence; a skipped time: that
   *  much later). Assumes at most one transition within a day of the wall time. */
  function instant(tz, wall) {
    var before = offset(tz, wall - DAY_MS), after = offset(tz, wall + DAY_MS);
    if (before === after) return wall - before;
    return offset(tz, wall - Math.max(before, after)) === before ? wall - before : wall - after;
  }

  // ---- status ------------------------------------------------------------------------------

  function pad(n, width) {
    var s = String(Math.abs(n));
    while (s.length < width) s = '0' + s;
    return (n < 0 ? '-' : '') + s;
  }

  /** The openings around now: [[start ms, end ms], ...] sorted and merged (see hours.py). */
  function openings(h, now) {
    var tz = h.tz, today = wallParts(tz, now), closed = {}, byDay = [[], [], [], [], [], [], []];
    var i, k, w = h.w || [], c = h.closed || [];
    for (i = 0; i < c.length; i++) closed[c[i]] = true;
    for (i = 0; i < w.length; i++) byDay[w[i][0]].push([w[i][1], w[i][2]]);
    var wall = [];
    for (k = FIRST_DAY; k <= LAST_DAY; k++) {
      var day = new Date(wallMs(today[0], today[1], today[2] + k, 0));
      var iso = pad(day.getUTCFullYear(), 4) + '-' + pad(day.getUTCMonth() + 1, 2) + '-' +
        pad(day.getUTCDate(), 2);
      if (closed[iso] === true || closed[iso.slice(-5)] === true) continue;
      var ranges = byDay[(day.getUTCDay() + 6) % 7];
      for (i = 0; i < ranges.length; i++) {
        var start = k * DAY_MINUTES + ranges[i][0], end = k * DAY_MINUTES + ranges[i][1];
        var last = wall[wall.length - 1];
        if (last && start <= last[1]) last[1] = Math.max(last[1], end);
        else wall.push([start, end]);
      }
    }
    var spans = [];
    for (i = 0; i < wall.length; i++) {
      var a = instant(tz, wallMs(today[0], today[1], today[2], wall[i][0]));
      var b = instant(tz, wallMs(today[0], today[1], today[2], wall[i][1]));
      if (b > a) spans.push([a, b]);
    }
    spans.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; });
    var merged = [];
    for (i = 0; i < spans.length; i++) {
      var top = merged[merged.length - 1];
      if (top && spans[i][0] <= top[1]) top[1] = Math.max(top[1], spans[i][1]);
      else merged.push(spans[i].slice());
    }
    return merged;
  }

  /** Open at nowMs? until: when this opening ends (null: not within 7 days, or 24/7);
   *  nextOpen: when the next one starts (null: not within 14 days). */
  function status(h, nowMs) {
    var out = { open: false, until: null, nextOpen: null, now: nowMs };
    if (h.always) {
      out.open = true;
      return out;
    }
    var spans = openings(h, nowMs);
    for (var i = 0; i < spans.length; i++) {
      if (spans[i][0] <= nowMs && nowMs < spans[i][1]) {
        out.open = true;
        if (spans[i][1] - nowMs <= UNTIL_HORIZON) out.until = spans[i][1];
        return out;
      }
      if (spans[i][0] > nowMs) {
        if (spans[i][0] - nowMs <= NEXT_OPEN_HORIZON) out.nextOpen = spans[i][0];
        return out;
      }
    }
    return out;
  }

  // ---- label -------------------------------------------------------------------------------

  function format(lang, tz, options) {
    var opts = {};
    for (var key in options) opts[key] = options[key];
    if (tz) opts.timeZone = tz;
    try {
      return new Intl.DateTimeFormat(lang || undefined, opts);
    } catch (e) { // an unknown language or zone: the browser's own
      delete opts.timeZone;
      try {
        return new Intl.DateTimeFormat(lang || undefined, opts);
      } catch (e2) {
        return new Intl.DateTimeFormat(undefined, opts);
      }
    }
  }

  function fill(template, values) {
    var out = String(template);
    for (var key in values) out = out.split('{' + key + '}').join(values[key]);
    return out;
  }

  /** Calendar day number of instant ms in the reader's zone. */
  function dayNumber(ms, lang, tz) {
    var parts = format('en-US-u-ca-gregory-nu-latn', tz, {
      year: 'numeric', month: 'numeric', day: 'numeric', era: 'short'
    }).formatToParts(ms);
    var p = {};
    for (var i = 0; i < parts.length; i++) p[parts[i].type] = parts[i].value;
    var year = +p.year;
    if (p.era === 'BC' || p.era === 'B') year = 1 - year;
    return Math.round(wallMs(year, +p.month, +p.day, 0) / DAY_MS);
  }

  /** The words for a status, with times and weekdays in the reader's zone and language. */
  function label(st, lang, readerTimeZone, strings, nowMs) {
    var s = {}, key;
    for (key in STRINGS) s[key] = STRINGS[key];
    if (strings) for (key in strings) if (typeof strings[key] === 'string') s[key] = strings[key];
    var time = function (ms) {
      return format(lang, readerTimeZone, { hour: '2-digit', minute: '2-digit' }).format(ms);
    };
    if (st.open) return st.until == null ? s.open_always : fill(s.open_closes, { time: time(st.until) });
    if (st.nextOpen == null) return s.closed;
    var now = nowMs != null ? nowMs : (st.now != null ? st.now : Date.now());
    var days = dayNumber(st.nextOpen, lang, readerTimeZone) - dayNumber(now, lang, readerTimeZone);
    if (days === 0) return fill(s.opens_today, { time: time(st.nextOpen) });
    var dayOptions = days >= 7 ? { weekday: 'long', month: 'long', day: 'numeric' } : { weekday: 'long' };
    return fill(s.opens_day, {
      day: format(lang, readerTimeZone, dayOptions).format(st.nextOpen),
      time: time(st.nextOpen)
    });
  }

  // ---- apply -------------------------------------------------------------------------------

  var roots = [], timer = null;

  function langOf(el) {
    for (var node = el; node && node.getAttribute; node = node.parentNode) {
      var lang = node.getAttribute('lang');
      if (lang) return lang;
    }
    return undefined;
  }

  function update(scope) {
    var els = Array.prototype.slice.call(scope.querySelectorAll(SELECTOR)), done = 0;
    if (scope.matches && scope.matches(SELECTOR)) els.unshift(scope);
    var now = Date.now();
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      try {
        var hours = JSON.parse(el.getAttribute('data-hours'));
        var raw = el.getAttribute('data-hours-strings');
        var strings = raw ? JSON.parse(raw) : {};
        var st = status(hours, now);
        var text = label(st, langOf(el), undefined, strings, now);
        if (!el.hasAttribute('data-hours-fallback')) {
          var fallback = el.textContent.replace(/\s+/g, ' ').trim();
          el.setAttribute('data-hours-fallback', fallback);
          if (fallback && !el.hasAttribute('title')) el.setAttribute('title', fallback);
        }
        if (el.textContent !== text) el.textContent = text;
        el.setAttribute('data-hours-state', st.open ? 'open' : 'closed');
        done++;
      } catch (e) { /* leave this element's fallback text */ }
    }
    return done;
  }

  function tick() {
    timer = null;
    for (var i = 0; i < roots.length; i++) update(roots[i]);
    schedule();
  }

  function schedule() {
    if (timer === null) timer = setTimeout(tick, MINUTE - (Date.now() % MINUTE) + 50);
  }

  /** Label every hours element under root (default: the document), and again each minute. */
  function apply(scope) {
    scope = scope || root.document;
    if (roots.indexOf(scope) < 0) roots.push(scope);
    var done = update(scope);
    schedule();
    return done;
  }

  var api = {
    status: status,
    label: label,
    apply: apply,
    openings: openings,
    instant: instant,
    STRINGS: STRINGS
  };
  if (root) root.HelpgenHours = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  if (root && root.document) {
    var start = function () {
      if (root.document.querySelector(SELECTOR)) apply(root.document);
    };
    if (root.document.readyState === 'loading') {
      root.document.addEventListener('DOMContentLoaded', start);
    } else {
      start();
    }
  }
})(typeof window !== 'undefined' ? window
  : (typeof globalThis !== 'undefined' ? globalThis : this));
