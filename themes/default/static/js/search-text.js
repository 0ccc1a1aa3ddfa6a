/* helpgen search text pipeline: normalisation and tokenisation, identical to
 * helpgen/search/text.py (tests/search_vectors.json proves it in Python, node and Chromium).
 * Change both together. Dependency-free, no eval: runs under CSP default-src 'self'.
 *
 *   normalize(text)   NFKC, lower case, invisible and vowel marks out (ZWNJ kept, once,
 *                     between two Arabic-script letters), Arabic script folded
 *   words(normalized) [[word, kind]]: kind is "cjk", "latin" ([a-z]+) or "other"
 *   terms(word, kind, language)
 *                     CJK bigrams (Chinese function-word pairs out); English stop words
 *                     dropped, the rest stemmed like lunr.stemmer; light Persian or Arabic
 *                     stemming by language ("fa", "ar"; any other: what is right in both);
 *                     a word's own term first, then its other readings (ZWNJ parts, a
 *                     Hebrew word without prefix letters, a Persian one without a pronoun)
 *   tokenize(text, language)  all the terms of a text, in order
 * text.py's module docstring spells out the Hebrew, Persian and Arabic rules.
 *
 * Word characters (Unicode category L, M or N) come from UNICODE_TABLE, pinned to Unicode 14.0
 * like the Python side, not from the browser's \p{...}: browsers and Python versions know
 * different Unicode versions, and must still cut words at the same places. */
(function (root) {
  'use strict';

  var UNICODE_VERSION = '14.0.0';
  // Runs of code points of category L, M or N (Unicode 14.0):
  // "<L|M|N><gap from the end of the previous run, base 36>.<length - 1, base 36>".
  var UNICODE_TABLE =
    'N1c.9L7.pL6.pL1b.0N7.1L1.0N3.0L0.0N1.2L1.mL1.uL1.cpL4.bLe.4L7.0L1.0Mh.33L0.4L1.1L2.3L1.0L6' +
    '.0L1.2L1.0L1.jL1.2aL1.3uM1.6L0.4lL1.11L2.0L6.14M8.18M1.0M1.1M1.1M1.0L8.qL4.3Mt.aL5.16M0.kN' +
    '0.9L4.1M0.0L0.2qL1.0M0.6M2.5L0.1M0.1M1.3L0.1N0.9L0.2L2.0Lg.0M0.0L0.tM0.qL2.2gM0.aL0.0Ne.9L' +
    '0.wM0.8L0.1L4.0M2.0L2.lM0.3L0.0M0.8L0.0M0.2L0.0M0.4Li.oM0.2L4.aL5.nL1.5M9.7L0.15M0.nM1.wL0' +
    '.1hM0.2L0.0M0.hL0.0M0.6L0.9M0.1N2.9L1.fM0.2L1.7L2.1L2.lL1.6L1.0L3.3M2.0L0.0M0.6M2.1M2.2L0.' +
    '0M8.0L4.1L1.2M0.1N2.9L0.1N2.5L2.0M1.0M2.2L1.5L4.1L2.lL1.6L1.1L1.1L1.1M2.0M1.4M4.1M2.2M3.0L' +
    '7.3L1.0N7.9M0.1L0.2M0.0Mb.2L1.8L1.2L1.lL1.6L1.1L1.4M2.0L0.0M0.7M1.2M1.2L2.0Lf.1M0.1N2.9L9.' +
    '0M0.5M1.2L1.7L2.1L2.lL1.6L1.1L1.4M2.0L0.0M0.6M2.1M2.2M7.2L4.1L1.2M0.1N2.9L1.0N0.5Ma.0L0.0L' +
    '1.5L3.2L1.3L3.1L1.0L1.1L3.1L3.2L3.bM4.4M3.2M1.3L2.0M6.0Ne.cMd.4L0.7L1.2L1.mL1.fM2.0L0.0M0.' +
    '6M1.2M1.3M7.1L1.2L2.0L2.1M0.1N2.9N8.6L1.0M0.2L1.7L1.2L1.mL1.9L1.4M2.0L0.0M0.6M1.2M1.3M7.1L' +
    '6.1L1.1M0.1N2.9L1.1Md.3L0.8L1.2L1.14M0.1L0.0M0.6M1.2M1.3L0.0L5.2M0.0N0.6L0.2M0.1N2.iL1.5M1' +
    '.2L1.hL3.nL1.8L1.0L2.6M3.0M4.5M1.0M1.7N6.9M2.1Ld.1bM0.0L0.1M0.6L5.6M0.7N1.9L13.1L1.0L1.4L1' +
    '.nL1.0L1.9M0.0L0.1M0.8L0.0L2.4L1.0M1.5N2.9L2.3Lw.0Mn.1N6.jM1.0M1.0M1.0M4.1L0.7L1.zM4.jM1.1' +
    'L0.4M0.aM1.zM9.0L1l.16M0.jL0.0N0.9L6.5M0.3L0.3M0.2L0.0M0.2L0.1M0.6L0.2M0.3L0.cM0.bL0.0M0.0' +
    'N0.9M0.3L2.11L1.0L5.0L2.16L1.98L1.3L2.6L1.0L1.3L2.14L1.3L2.wL1.3L2.6L1.0L1.3L2.eL1.1kL1.3L' +
    '2.1uM2.2N9.jL3.fLg.2dL2.5L3.h7L2.gL1.pL5.22N3.2L0.7L7.hM0.3L9.iM0.2Lb.hM0.1Lc.cL1.2M1.1Lc.' +
    '1fM0.vL3.0L4.0M0.0N2.9N6.9Mh.2M1.0N0.9L6.2gL7.4M0.1L0.xM0.0L0.0L5.1xLa.uM1.bM4.bNa.9L0.tL2' +
    '.4Lb.17L4.pN6.aL11.mM0.4L4.1gM0.9M1.sM2.0N0.9N6.9Ld.0M8.uM1d.4L0.1aM0.gL0.7N3.9Mh.8Mc.2L0.' +
    'tM0.cL0.1N0.9L0.17M0.dLc.zM0.jN8.9L3.2N0.9L0.zL2.8L7.16L2.2Mg.2M1.kL0.3M0.0L0.5M0.0L0.1M0.' +
    '2L0.0L5.5bM0.1rL0.7pL2.5L2.11L2.5L2.7L1.0L1.0L1.0L1.uL2.1gL1.6L1.0L3.2L1.6L3.3L2.5L4.cL5.2' +
    'L1.6N37.0L0.0N2.5L5.0N0.9L6.cM1f.wLh.0L4.0L2.9L1.0L3.4L6.0L1.0L1.0L1.3L1.aL2.3L5.4L4.0N1.1' +
    'eL0.1N0.4Nk6.1nN26.lNhi.tLvg.6cL6.3M0.2L0.1N9.0L2.11L1.0L5.0L2.1jL7.0Mf.0L0.mL9.6L1.6L1.6L' +
    '1.6L1.6L1.6L1.6L1.6M1.vL1b.0Ld1.1N0.0Np.8M0.5L1.4N2.2L0.1L4.2dM2.1L2.2L1.2hL1.3L5.16L1.2lN' +
    '3.3La.vL1c.fNw.9Nu.7N1.eNw.9N13.eL8w.533L1s.h3gL1v.19L2.7gL3.fN0.9L0.1Lk.1aM0.3M1.9L1.uM0.' +
    '1L0.1xN0.9M0.1L11.8L2.2uL2.1rL5.1L1.0L1.4Lo.fM0.0L0.2M0.0L0.3M0.0L0.mM0.4M4.0N3.5La.1fMc.1' +
    'L0.1dM0.hNa.9M6.hL0.5L3.0L1.1M0.0N0.9L0.rM0.7L2.mM0.cLc.sM3.3L0.1aM0.dLe.0N0.9L6.4M0.0L0.9' +
    'N0.9L0.4L1.14M0.dL9.2M0.0L0.7M0.1N2.9L6.mL3.0M0.2L0.1dM0.0L0.0M0.2L0.1M0.1L0.4M0.1L0.0M0.0' +
    'L0.0Lo.2L2.aM0.4L2.2M0.1La.5L2.5L2.5L9.6L1.6L1.16L1.dL6.36M0.7M1.1N2.9L6.8mbLc.mL4.1cL6is.' +
    'a5L2.2xL12.6Lc.4L5.0M0.0L0.9L1.cL1.4L1.0L1.1L1.1L1.2zLx.a2Li.1rL2.1hL14.bM4.fMg.fL1s.4L1.3' +
    'qNj.9L7.pL6.pLb.2gL3.5L2.5L2.5L2.2Lz.bL1.pL1.iL1.1L1.eL2.dLy.3eNc.18Nc.1kNh.1M35.0L3m.sL3.' +
    '1cMf.0N0.qL4.vN0.3L9.jN0.0L0.7N0.0L5.11M0.4L5.tL2.zL4.7N1.4L16.4dN2.9L6.zL4.zL4.13L8.1fLc.' +
    'aL1.eL1.6L1.1L1.aL1.eL1.6L1.1L1v.8mL9.lLa.7Lo.5L1.15L1.8L1x.5L2.0L1.17L1.1L3.0L2.mN2.7L0.m' +
    'N2.6L0.uN8.8L1c.iL1.1N5.4L0.lN0.5L4.pL1y.1jN4.1L0.1N0.fN2.19L0.0M0.2M1.1M5.3L0.3L1.2L1.sM2' +
    '.2M4.0N0.8Ln.sN0.1L1.sN0.2Lw.7L1.rM0.1N4.4Lg.1hLa.lN2.7L0.iN5.7L0.hNn.6L28.20L1j.1eLd.1eN7' +
    '.5L0.zM0.3N8.9N86.uL1.15M1.1L3.1L26.sN0.9L0.0L8.lM0.aN0.3Lr.hM0.3L16.kN0.6Lk.mM9.2L0.1gM0.' +
    'eNb.tM0.0L0.1M0.1L0.0M9.3L0.18M0.aM7.0Ld.oN7.9M6.2L0.zM0.dN1.9L4.0M0.1L0.0L8.yM0.0L2.0M9.2' +
    'L0.1bM0.dL0.3M4.3M1.1N0.9L0.0L1.0N4.jLb.hL1.oM0.bM6.0L1t.6L1.0L1.3L1.eL1.9L7.1aM0.bN5.9M6.' +
    '3L1.7L2.1L2.lL1.6L1.1L1.4M1.1L0.0M0.6M2.1M2.2L2.0M6.0L5.4M0.1M2.6M3.4L3v.1gM0.hL0.3N5.9M4.' +
    '0L0.2Lu.1bM0.jL0.1L1.0N8.9L4m.1aM0.6M2.8Ln.3M0.1Ly.1bM0.gL3.0Nb.9L12.16M0.cL0.0N7.9L1i.qM2' +
    '.eN4.bL4.6L55.17M0.eL2t.1rN0.iLc.7L2.0L2.7L1.1L1.nM0.5M1.1M2.3L0.0M0.0L0.0M0.1Nc.9L1y.7L2.' +
    '12M0.6M2.6L0.0L1.0M0.0Lr.0M0.9L0.13M0.6L0.0M0.3M8.0L8.0M0.aL0.19M0.fL3.0Li.20L7b.8L1.10M0.' +
    '7M1.7L0.0Nf.sL5.tM2.lM1.dL21.6L1.1L1.11M0.5M3.0M1.1M1.6L0.0M0.0N8.9L6.5L1.1L1.vM0.4M1.1M1.' +
    '4L0.0N7.9L8m.iM0.3L55.0Nf.kL17.plN2u.32Lh.5fL218.2oLf.tqL34h.g6L6nt.fsL7.uN1.9L6.26N1.9L6.' +
    'tM2.4Lb.1bM0.6L9.3Nc.9N1.6L1.kL5.iLj4.1rN0.mL2x.22M4.0L0.0M0.1iM7.3L0.cL1s.1L1.0M0.0Mb.1Le' +
    '.4qfL8.ydL16.8L6w7.3L1.6L1.1L1.82L19.2Lh.3L8.azL1s4.2yL5.cL3.8L7.9M3.1M3mp.19M2.mMf2.4M3.5' +
    'M8.7M2.6Mu.3M44.2N4b.jN30.oL3r.2cL1.1yL1.1L2.0L2.1L2.3L1.bL1.0L1.6L1.1sL1.3L2.7L1.6L1.rL1.' +
    '3L1.4L1.0L3.6L1.9fL2.oL1.oL1.uL1.oL1.uL1.oL1.uL1.oL1.uL1.oL1.7N2.1dMe8.1iM4.1dM8.0Me.0Mm.4' +
    'M1.eLuo.uM69.6M1.gM2.6M1.1M1.4L5x.18M3.6L0.6N2.9L4.0L8x.tM0.0Lh.17M0.3N0.9Lyu.6L1.3L1.1L1.' +
    'eL1.5gN2.8M0.6L15.1vM0.6L0.0N4.9Nlz.1mN1.2N1.3N24.18N1.eL5e.3L1.qL1.1L1.0L2.0L1.9L1.3L1.0L' +
    '1.0L6.0L4.0L1.0L1.0L1.2L1.1L1.0L2.0L1.0L1.0L1.0L1.0L1.1L1.0L2.3L1.6L1.3L1.3L1.0L1.9L1.gL5.' +
    '2L1.4L1.gNg4.cN25f.9Lsm.wynLw.37cL7.65L2.4g1Le.5rkL2e7.f1L15u.3t6Mfcmt.6n';

  function decodeTable(table) {
    var ranges = { L: [], M: [], N: [] }, next = 0, re = /([LMN])([0-9a-z]+)\.([0-9a-z]+)/g, m;
    while ((m = re.exec(table))) {
      var first = next + parseInt(m[2], 36);
      next = first + parseInt(m[3], 36) + 1;
      ranges[m[1]].push([first, next - 1]);
    }
    return ranges;
  }

  function charClass(ranges) {
    var merged = [];
    ranges.slice().sort(function (a, b) { return a[0] - b[0]; }).forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] === last[1] + 1) last[1] = r[1];
      else merged.push([r[0], r[1]]);
    });
    var hex = function (cp) { return '\\u{' + cp.toString(16) + '}'; };
    return '[' + merged.map(function (r) {
      return r[0] === r[1] ? hex(r[0]) : hex(r[0]) + '-' + hex(r[1]);
    }).join('') + ']';
  }

  var RANGES = decodeTable(UNICODE_TABLE);
  var LETTER = charClass(RANGES.L);
  var WORD_CHAR = charClass(RANGES.L.concat(RANGES.M, RANGES.N));
  var MARK = new RegExp('^' + charClass(RANGES.M) + '$', 'u');
  // A word: letters, marks and digits; "." or "," between two ASCII digits stays inside, and
  // ZWNJ (which normalize() keeps only between two Arabic-script letters) too.
  // text.py writes it with a look-behind; this form needs none (older Safari has none).
  var WORD = new RegExp('(?:' + WORD_CHAR + '*[0-9][.,](?=[0-9])|' + WORD_CHAR +
    '+\u200c(?=' + WORD_CHAR + '))*' + WORD_CHAR + '+', 'gu');
  // An apostrophe, quotation mark, Hebrew geresh or gershayim between two letters is dropped.
  var QUOTES = '\'"\u2019\u05f3\u05f4';
  var INNER_QUOTE = new RegExp('(' + LETTER + ')[' + QUOTES + '](?=' + LETTER + ')', 'gu');
  var HAS_QUOTE = new RegExp('[' + QUOTES + ']');

  /* ---- normalize ------------------------------------------------------------------------ */
  var FOLD = Object.create(null);
  (function () {
    var removed = [
      0x00AD, // soft hyphen
      0x061C, // Arabic letter mark
      0x0640, // tatweel
      0x0670, // superscript alef
      0x05BF, 0x05C1, 0x05C2, 0x05C4, 0x05C5, 0x05C7, // Hebrew points
      0x200D, 0x200E, 0x200F, // ZWJ, LRM, RLM (ZWNJ: see normalize)
      0x20E3, // combining enclosing keycap (emoji 1️⃣ is 1 + U+FE0F + U+20E3)
      0xFEFF // byte order mark / zero width no-break space
    ];
    var span = function (first, end) { for (var cp = first; cp < end; cp++) removed.push(cp); };
    span(0x064B, 0x0660); // Arabic harakat
    span(0x0591, 0x05BE); // Hebrew cantillation and niqqud
    span(0x202A, 0x202F); // bidi embeddings and overrides
    span(0x2066, 0x206A); // bidi isolates
    span(0xFE00, 0xFE10); // variation selectors
    span(0xE0100, 0xE01F0); // ideographic variation selectors
    removed.forEach(function (cp) { FOLD[String.fromCodePoint(cp)] = ''; });
    var to = function (chars, target) {
      Array.from(chars).forEach(function (c) { FOLD[c] = target; });
    };
    to('\u00df', 'ss'); // ß
    to('\u03c2', '\u03c3'); // ς -> σ
    to('\u064a\u0649\u0626', '\u06cc'); // ي ى ئ -> ی
    to('\u0643', '\u06a9'); // ك -> ک
    to('\u0623\u0625\u0622\u0671', '\u0627'); // أ إ آ ٱ -> ا
    to('\u0629\u06c0', '\u0647'); // ة ۀ -> ه
    to('\u0624', '\u0648'); // ؤ -> و
    to('\u066b', '.'); // Arabic decimal separator: ١٣٫٥ = 13.5
    to('\u066c', ','); // Arabic thousands separator
    for (var d = 0; d < 10; d++) {
      FOLD[String.fromCharCode(0x0660 + d)] = String(d); // Arabic-Indic digits
      FOLD[String.fromCharCode(0x06F0 + d)] = String(d); // Persian digits
    }
  })();
  var FOLDED = new RegExp(charClass(Object.keys(FOLD).map(function (c) {
    var cp = c.codePointAt(0);
    return [cp, cp];
  })), 'gu');
  var foldChar = function (c) { return FOLD[c]; };
  // A letter, mark or digit of the Arabic script blocks: ZWNJ between two of them is kept.
  var ARABIC_CHAR = new RegExp('^(?=[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff])' +
    WORD_CHAR + '$', 'u');
  // A run of ZWNJ: one ZWNJ between two Arabic-script letters (Persian writes a word's parts
  // apart with it: کتاب‌ها), nothing elsewhere.
  var zwnj = function (run, start, text) {
    var end = start + run.length;
    var inside = start > 0 && end < text.length;
    return inside && ARABIC_CHAR.test(text[start - 1]) && ARABIC_CHAR.test(text[end])
      ? '\u200c' : '';
  };

  /** NFKC; toLowerCase(); ß -> ss, ς -> σ; format characters, Arabic harakat and tatweel,
   * Hebrew points removed; Arabic letters, digits and separators (٫ ٬) folded;
   * i + U+0307 (Turkish İ) -> i; a run of ZWNJ -> one ZWNJ between two Arabic-script
   * letters, nothing elsewhere; ' " ’ ׳ ״ between two letters removed.
   * Same steps as text.py's normalize(). */
  function normalize(text) {
    var s = String(text).normalize('NFKC').toLowerCase().replace(FOLDED, foldChar);
    if (s.indexOf('i\u0307') >= 0) s = s.replace(/i\u0307/g, 'i');
    if (s.indexOf('\u200c') >= 0) s = s.replace(/\u200c+/g, zwnj);
    if (HAS_QUOTE.test(s)) s = s.replace(INNER_QUOTE, '$1');
    return s;
  }

  /* ---- words ---------------------------------------------------------------------------- */
  function isCjk(cp) {
    return (cp >= 0x3040 && cp <= 0x30FF) || // Hiragana, Katakana (with ー U+30FC)
      (cp >= 0x3400 && cp <= 0x4DBF) || // CJK Extension A
      (cp >= 0x4E00 && cp <= 0x9FFF) || // CJK Unified Ideographs
      (cp >= 0xAC00 && cp <= 0xD7AF) || // Hangul syllables
      (cp >= 0x20000 && cp <= 0x3FFFF) || // CJK Extensions B-H, compatibility supplement
      (cp >= 0xF900 && cp <= 0xFAFF) || // CJK compatibility ideographs
      (cp >= 0x1100 && cp <= 0x11FF) || // Hangul jamo
      (cp >= 0x3130 && cp <= 0x318F) || // Hangul compatibility jamo
      (cp >= 0x31F0 && cp <= 0x31FF) || // Katakana phonetic extensions
      (cp >= 0xA960 && cp <= 0xA97F) || // Hangul jamo extended A
      (cp >= 0xD7B0 && cp <= 0xD7FF) || // Hangul jamo extended B
      (cp >= 0xFF66 && cp <= 0xFFDC) || // halfwidth Katakana and Hangul
      cp === 0x3005 || cp === 0x3006 || cp === 0x3007 || cp === 0x303B; // 々 〆 〇 〻
  }

  var LATIN = /^[a-z]+$/;
  // isCjk() as a pattern
  var CJK_CHAR = new RegExp(
    '[\\u3005-\\u3007\\u303b\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af' +
    '\\uf900-\\ufaff\\u1100-\\u11ff\\u3130-\\u318f\\u31f0-\\u31ff\\ua960-\\ua97f' +
    '\\ud7b0-\\ud7ff\\uff66-\\uffdc\\u{20000}-\\u{3ffff}]', 'u');

  function segment(text, cjk) {
    return [text, cjk ? 'cjk' : (LATIN.test(text) ? 'latin' : 'other')];
  }

  // A word cut into CJK and other runs; a combining mark stays with the run before it.
  function segments(word) {
    if (!CJK_CHAR.test(word)) return [segment(word, false)];
    var chars = Array.from(word), out = [], start = 0, runCjk = false;
    for (var i = 0; i < chars.length; i++) {
      var cjk = i && MARK.test(chars[i]) ? runCjk : isCjk(chars[i].codePointAt(0));
      if (i && cjk !== runCjk) {
        out.push(segment(chars.slice(start, i).join(''), runCjk));
        start = i;
      }
      runCjk = cjk;
    }
    if (chars.length) out.push(segment(chars.slice(start).join(''), runCjk));
    return out;
  }

  /** [[word, kind]] of normalized text; kind is "cjk", "latin" or "other". */
  function words(text) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var word = m[0];
      if (word.indexOf(',') >= 0) word = word.replace(/,/g, '');
      var parts = segments(word);
      for (var i = 0; i < parts.length; i++) out.push(parts[i]);
    }
    return out;
  }

  /* ---- stop words ----------------------------------------------------------------------- */
  var set = function (list) {
    var s = Object.create(null);
    list.forEach(function (w) { s[w] = true; });
    return s;
  };
  // lunr.js 2.3.9's lunr.stopWordFilter, exactly.
  var ENGLISH_STOP_WORDS = set((
    'a able about across after all almost also am among an and any are as at be because been ' +
    'but by can cannot could dear did do does either else ever every for from get got had has ' +
    'have he her hers him his how however i if in into is it its just least let like likely ' +
    'may me might most must my neither no nor not of off often on only or other our own ' +
    'rather said say says she should since so some than that the their them then there these ' +
    'they this tis to too twas us wants was we were what when where which while who whom why ' +
    'will with would yet you your').split(' '));
  // Function words, stored normalized (ي -> ی, ك -> ک, أ/إ/آ -> ا, ...).
  var PERSIAN_STOP_WORDS = set((
    'و در به از که این را با است برای ان یک تا هم بر یا اما اگر نیز می نمی هر همه خود ای ' +
    'اینکه چه ما من شما او انها وی بی ها های هایی تر ترین ' +
    'اش ام ات ایم اید اند ' + // clitics written apart (شده اید)
    // question words, and the light verbs (کردن, شدن, داشتن, توانستن, ...) of compounds
    'چطور چگونه کجا کی چرا چی چیست کدام چقدر چند ولی دیگر هست هستم هستید نیست بود ' +
    'باشد شد شده شود شدم کرد کرده کند کنم کنید کنیم کنند کردن کردم دارم دارد دارید باید ' +
    'توان توانم توانید خواهم خواهد').split(' '));
  var ARABIC_STOP_WORDS = set((
    'فی من علی الی عن ان هذا هذه ذلک التی الذی الذین او ثم لا ما مع کان قد لم لن کل هو هی ' +
    'بین حتی اذا عند کما هل انه تلک بعد قبل غیر ای لکن لیس کانت').split(' '));

  // Hebrew function words: pronouns, prepositions, question words, conjunctions, modals
  var HEBREW_STOP_WORDS = set((
    'של את על עם אל מן עד כי אם או גם לא אין יש זה זאת זו הזה הזאת הוא היא הם הן אני אתה ' +
    'אנחנו אתם אתן שלי שלך שלו שלה שלנו שלכם שלהם לי לך לו לה לנו לכם להם אותו אותה אותם ' +
    'אותי אותך מה מי איך איפה מתי למה כמה אילו איזה איזו האם כל רק כבר עוד אבל אז כן היה ' +
    'היתה היו יהיה בין אחרי לפני כמו אשר אפשר צריך יכול יכולה').split(' '));
  // Chinese function words as character pairs: question words, pronouns, "can", "how many"
  var CHINESE_STOP_PAIRS = set((
    '怎么 怎样 什么 如何 哪里 哪儿 在哪 为什 为何 可以 能否 是否 我的 你的 我们 你们 他们 她们 ' +
    '这个 那个 这些 那些 一个 一下 多少 的话 还是 或者 如果 因为 所以 但是 已经 没有').split(' '));

  function isOtherStopWord(word) {
    return PERSIAN_STOP_WORDS[word] === true || ARABIC_STOP_WORDS[word] === true ||
      HEBREW_STOP_WORDS[word] === true;
  }

  /** Whether a normalized word is an English (lunr.js), Persian, Arabic or Hebrew stop word. */
  function isStopWord(word) {
    return ENGLISH_STOP_WORDS[word] === true || isOtherStopWord(word);
  }

  var SHAPE_MARK = ' ';  // text.py: SHAPE_MARK

  /** text.py: shape_terms. The stop words of a text, once each, as terms no one types. */
  function shapeTerms(text) {
    var out = [];
    words(normalize(text)).forEach(function (wk) {
      var term = SHAPE_MARK + wk[0];
      if (isStopWord(wk[0]) && out.indexOf(term) < 0) out.push(term);
    });
    return out;
  }

  /* ---- stemming ------------------------------------------------------------------------- */
  /* The Porter stemmer of lunr.js 2.3.9 (lunr.stemmer, MIT, Copyright (C) 2020 Oliver
   * Nightingale), copied so this file needs no lunr; stemmer.py is its Python port. */
  var porterStemmer = (function () {
    var step2list = {
        'ational': 'ate', 'tional': 'tion', 'enci': 'ence', 'anci': 'ance', 'izer': 'ize',
        'bli': 'ble', 'alli': 'al', 'entli': 'ent', 'eli': 'e', 'ousli': 'ous',
        'ization': 'ize', 'ation': 'ate', 'ator': 'ate', 'alism': 'al', 'iveness': 'ive',
        'fulness': 'ful', 'ousness': 'ous', 'aliti': 'al', 'iviti': 'ive', 'biliti': 'ble',
        'logi': 'log'
      },
      step3list = {
        'icate': 'ic', 'ative': '', 'alize': 'al', 'iciti': 'ic', 'ical': 'ic', 'ful': '',
        'ness': ''
      },
      c = '[^aeiou]', // consonant
      v = '[aeiouy]', // vowel
      C = c + '[^aeiouy]*', // consonant sequence
      V = v + '[aeiou]*', // vowel sequence
      mgr0 = '^(' + C + ')?' + V + C, // [C]VC... is m>0
      meq1 = '^(' + C + ')?' + V + C + '(' + V + ')?$', // [C]VC[V] is m=1
      mgr1 = '^(' + C + ')?' + V + C + V + C, // [C]VCVC... is m>1
      s_v = '^(' + C + ')?' + v; // vowel in stem

    var re_mgr0 = new RegExp(mgr0);
    var re_mgr1 = new RegExp(mgr1);
    var re_meq1 = new RegExp(meq1);
    var re_s_v = new RegExp(s_v);

    var re_1a = /^(.+?)(ss|i)es$/;
    var re2_1a = /^(.+?)([^s])s$/;
    var re_1b = /^(.+?)eed$/;
    var re2_1b = /^(.+?)(ed|ing)$/;
    var re_1b_2 = /.$/;
    var re2_1b_2 = /(at|bl|iz)$/;
    var re3_1b_2 = new RegExp('([^aeiouylsz])\\1$');
    var re4_1b_2 = new RegExp('^' + C + v + '[^aeiouwxy]$');

    var re_1c = /^(.+?[^aeiou])y$/;
    var re_2 = new RegExp('^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|' +
      'ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$');
    var re_3 = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
    var re_4 = new RegExp('^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|' +
      'ous|ive|ize)$');
    var re2_4 = /^(.+?)(s|t)(ion)$/;
    var re_5 = /^(.+?)e$/;
    var re_5_1 = /ll$/;
    var re3_5 = new RegExp('^' + C + v + '[^aeiouwxy]$');

    return function porterStemmer(w) {
      var stem, suffix, firstch, re, re2, re3, re4, fp;

      if (w.length < 3) { return w; }

      firstch = w.substr(0, 1);
      if (firstch == 'y') {
        w = firstch.toUpperCase() + w.substr(1);
      }

      // Step 1a
      re = re_1a;
      re2 = re2_1a;

      if (re.test(w)) { w = w.replace(re, '$1$2'); }
      else if (re2.test(w)) { w = w.replace(re2, '$1$2'); }

      // Step 1b
      re = re_1b;
      re2 = re2_1b;
      if (re.test(w)) {
        fp = re.exec(w);
        re = re_mgr0;
        if (re.test(fp[1])) {
          re = re_1b_2;
          w = w.replace(re, '');
        }
      } else if (re2.test(w)) {
        fp = re2.exec(w);
        stem = fp[1];
        re2 = re_s_v;
        if (re2.test(stem)) {
          w = stem;
          re2 = re2_1b_2;
          re3 = re3_1b_2;
          re4 = re4_1b_2;
          if (re2.test(w)) { w = w + 'e'; }
          else if (re3.test(w)) { re = re_1b_2; w = w.replace(re, ''); }
          else if (re4.test(w)) { w = w + 'e'; }
        }
      }

      // Step 1c - replace suffix y or Y by i if preceded by a non-vowel which is not the
      // first letter of the word (so cry -> cri, by -> by, say -> say)
      re = re_1c;
      if (re.test(w)) {
        fp = re.exec(w);
        stem = fp[1];
        w = stem + 'i';
      }

      // Step 2
      re = re_2;
      if (re.test(w)) {
        fp = re.exec(w);
        stem = fp[1];
        suffix = fp[2];
        re = re_mgr0;
        if (re.test(stem)) {
          w = stem + step2list[suffix];
        }
      }

      // Step 3
      re = re_3;
      if (re.test(w)) {
        fp = re.exec(w);
        stem = fp[1];
        suffix = fp[2];
        re = re_mgr0;
        if (re.test(stem)) {
          w = stem + step3list[suffix];
        }
      }

      // Step 4
      re = re_4;
      re2 = re2_4;
      if (re.test(w)) {
        fp = re.exec(w);
        stem = fp[1];
        re = re_mgr1;
        if (re.test(stem)) {
          w = stem;
        }
      } else if (re2.test(w)) {
        fp = re2.exec(w);
        stem = fp[1] + fp[2];
        re2 = re_mgr1;
        if (re2.test(stem)) {
          w = stem;
        }
      }

      // Step 5
      re = re_5;
      if (re.test(w)) {
        fp = re.exec(w);
        stem = fp[1];
        re = re_mgr1;
        re2 = re_meq1;
        re3 = re3_5;
        if (re.test(stem) || (re2.test(stem) && !(re3.test(stem)))) {
          w = stem;
        }
      }

      re = re_5_1;
      re2 = re_mgr1;
      if (re.test(w) && re2.test(w)) {
        re = re_1b_2;
        w = w.replace(re, '');
      }

      // and turn initial Y back to y
      if (firstch == 'y') {
        w = firstch.toLowerCase() + w.substr(1);
      }

      return w;
    };
  })();

  var cache = new Map();

  /** A lowercase English word stemmed exactly like lunr.js 2.3.9's lunr.stemmer. */
  function stem(word) {
    var hit = cache.get(word);
    if (hit === undefined) {
      if (cache.size > 100000) cache.clear();
      hit = porterStemmer(word);
      cache.set(word, hit);
    }
    return hit;
  }

  /* ---- terms ---------------------------------------------------------------------------- */
  var ZWNJ = '\u200c';
  var STOP_WORDS = {
    fa: Object.assign(Object.create(null), PERSIAN_STOP_WORDS, HEBREW_STOP_WORDS),
    ar: Object.assign(Object.create(null), ARABIC_STOP_WORDS, HEBREW_STOP_WORDS),
    '': Object.assign(Object.create(null), PERSIAN_STOP_WORDS, ARABIC_STOP_WORDS, HEBREW_STOP_WORDS)
  };

  // Which Arabic-script rules a language gets: "fa", "ar", or "" (any other, unknown).
  function rulesOf(language) {
    var primary = String(language || '').replace(/_/g, '-').split('-')[0].toLowerCase();
    return primary === 'fa' || primary === 'ar' ? primary : '';
  }

  var ARABIC_WORD = /^[\u0600-\u06ff\u200c]+$/;
  var HEBREW_WORD = /^[\u05d0-\u05ea]+$/;
  // What Hebrew writes joined before a word: ו (and), ש or כש (that, when), ב ל מ כ (in, to,
  // from, as), ה (the), in this order; and what ends a noun or a verb in the past: plurals ים
  // ות, ה, construct י; I, you (plural), we: תי תם נו (קיבלתי and קיבלתם meet)
  var HE_PREFIX = /^ו?(?:כש|ש)?[בלמכ]?ה?$/;
  var HE_SUFFIXES = ['ים', 'ות', 'תי', 'תם', 'נו', 'ה', 'י'];
  var HE_FINAL = { 'ך': 'כ', 'ם': 'מ', 'ן': 'נ', 'ף': 'פ', 'ץ': 'צ' };
  var PERSIAN_ONLY = /[\u067e\u0686\u0698\u06af\u200c]/; // پ چ ژ گ, ZWNJ

  // Persian: what ZWNJ sets apart (a verb prefix before it; plural, clitic, comparative after)
  var FA_PREFIXES = set(['می', 'نمی']);
  var FA_PLURALS = ['هایشان', 'هایتان', 'هایمان', 'هایی', 'هایم', 'هایت', 'هایش', 'های', 'ها'];
  var FA_CLITICS = ['ی', 'ای', 'اش', 'ام', 'ات', 'ایم', 'اید', 'اند', 'مان', 'تان', 'شان'];
  var FA_SUFFIXES = set(FA_PLURALS.concat(FA_CLITICS, ['تر', 'تری', 'ترین']));
  var FA_JOINED_SUFFIXES = FA_PLURALS.concat(['ترین']);
  // Arabic: the definite article (with و ب ک ف ل before it) and light10's suffixes, in order
  var AR_ARTICLES = ['وال', 'بال', 'کال', 'فال', 'لل', 'ال'];
  // [suffix, letters left at least]: ون ین end many whole nouns of three letters (قانون, یقین)
  var AR_SUFFIXES = [['ها', 3], ['ات', 3], ['ون', 4], ['ین', 4], ['یه', 3], ['ه', 3], ['ی', 3]];

  var startsWith = function (w, p) { return w.slice(0, p.length) === p; };
  var endsWith = function (w, p) { return w.length >= p.length && w.slice(w.length - p.length) === p; };

  // Persian light stemming of a word that may hold ZWNJ (text.py: _persian_stem).
  function persianStem(word) {
    var parts = word.split(ZWNJ), i;
    var prefixed = parts.length > 1 && FA_PREFIXES[parts[0]] === true &&
      parts.slice(1).join('').length >= 2;
    if (prefixed) parts = parts.slice(1);
    var suffixed = false;
    for (i = 0; i < 2; i++) {
      if (parts.length > 1 && FA_SUFFIXES[parts[parts.length - 1]] === true &&
          parts.slice(0, -1).join('').length >= 2) {
        parts = parts.slice(0, -1);
        suffixed = true;
      }
    }
    var stem = parts.join('');
    var last = stem.slice(-1);
    if (!prefixed && (last === 'م' || last === 'د')) {
      var prefixes = ['نمی', 'می'];
      for (i = 0; i < prefixes.length; i++) {
        if (startsWith(stem, prefixes[i]) && stem.length - prefixes[i].length >= 3) {
          stem = stem.slice(prefixes[i].length);
          break;
        }
      }
    }
    if (!suffixed) {
      for (i = 0; i < FA_JOINED_SUFFIXES.length; i++) {
        var suffix = FA_JOINED_SUFFIXES[i];
        if (endsWith(stem, suffix) && stem.length - suffix.length >= 3) {
          return stem.slice(0, stem.length - suffix.length);
        }
      }
    }
    return stem;
  }

  // Arabic light stemming, after Larkey's light10 (text.py: _arabic_stem).
  function arabicStem(word) {
    var i;
    word = word.split(ZWNJ).join('');
    if (startsWith(word, 'و') && word.length >= 5) word = word.slice(1);
    for (i = 0; i < AR_ARTICLES.length; i++) {
      if (startsWith(word, AR_ARTICLES[i]) && word.length - AR_ARTICLES[i].length >= 2) {
        word = word.slice(AR_ARTICLES[i].length);
        break;
      }
    }
    for (i = 0; i < AR_SUFFIXES.length; i++) {
      var suffix = AR_SUFFIXES[i][0];
      if (endsWith(word, suffix) && word.length - suffix.length >= AR_SUFFIXES[i][1]) {
        word = word.slice(0, word.length - suffix.length);
      }
    }
    return word;
  }

  // What is right in Persian and in Arabic alike (text.py: _shared_stem).
  function sharedStem(word) {
    var i, plurals = ['هایی', 'های', 'ها'];
    for (i = 0; i < AR_ARTICLES.length; i++) {
      if (startsWith(word, AR_ARTICLES[i]) && word.length - AR_ARTICLES[i].length >= 4) {
        word = word.slice(AR_ARTICLES[i].length);
        break;
      }
    }
    for (i = 0; i < plurals.length; i++) {
      if (endsWith(word, plurals[i]) && word.length - plurals[i].length >= 3) {
        return word.slice(0, word.length - plurals[i].length);
      }
    }
    return word;
  }

  // A Hebrew word, then its stems (text.py: _hebrew_terms).
  function hebrewTerms(word) {
    var found = [word];
    for (var cut = 0; cut < word.length - 2; cut++) {
      if (!HE_PREFIX.test(word.slice(0, cut))) continue;
      var rest = word.slice(cut);
      for (var i = 0; i < HE_SUFFIXES.length; i++) {
        if (endsWith(rest, HE_SUFFIXES[i]) && rest.length - HE_SUFFIXES[i].length >= 3) {
          rest = rest.slice(0, rest.length - HE_SUFFIXES[i].length);
          break;
        }
      }
      rest = rest.replace(/[ךםןףץ]/g, function (c) { return HE_FINAL[c]; });
      if (found.indexOf(rest) < 0) found.push(rest);
    }
    return found;
  }

  var FA_JOINED_CLITICS = ['مان', 'تان', 'شان', 'م', 'ت', 'ش', 'ی'];

  // A Persian stem, then the stem without a pronoun or ی written joined (text.py: _persian_terms).
  function persianTerms(stem) {
    for (var i = 0; i < FA_JOINED_CLITICS.length; i++) {
      var clitic = FA_JOINED_CLITICS[i];
      if (endsWith(stem, clitic) && stem.length - clitic.length >= 3) {
        return [stem, stem.slice(0, stem.length - clitic.length)];
      }
    }
    return [stem];
  }

  function isPersian(word, rules) {  // text.py: _is_persian
    return rules === 'fa' || (!rules && PERSIAN_ONLY.test(word));
  }

  function stemOther(word, rules) {
    if (isPersian(word, rules)) return persianStem(word);
    if (rules === 'ar') return arabicStem(word);
    return sharedStem(word.split(ZWNJ).join(''));
  }

  function termsOf(word, kind, rules) {
    if (kind === 'cjk') {
      var chars = Array.from(word), out = [];
      if (chars.length < 2) return [word];
      for (var i = 0; i + 1 < chars.length; i++) {
        var pair = chars[i] + chars[i + 1];
        if (CHINESE_STOP_PAIRS[pair] !== true) out.push(pair);
      }
      return out;
    }
    if (kind === 'latin') return ENGLISH_STOP_WORDS[word] === true ? [] : [stem(word)];
    if (word.indexOf(ZWNJ) >= 0) return joinedTerms(word, rules);
    var stop = STOP_WORDS[rules];
    if (stop[word] === true) return [];
    if (ARABIC_WORD.test(word)) {
      var persian = isPersian(word, rules);
      word = stemOther(word, rules);
      if (stop[word] === true) return [];
      return persian ? persianTerms(word) : [word];
    }
    return HEBREW_WORD.test(word) ? hebrewTerms(word) : [word];
  }

  // A word written with ZWNJ: its stem, the stem of its joined spelling, then the terms of
  // its parts (a part that is a Persian affix left out); nothing if it is a stop word.
  function joinedTerms(word, rules) {
    var joined = word.split(ZWNJ).join(''), stop = STOP_WORDS[rules];
    if (stop[joined] === true) return [];
    var first = ARABIC_WORD.test(word) ? stemOther(word, rules) : joined;
    if (stop[first] === true) return [];
    var found = [first].concat(termsOf(joined, 'other', rules));
    word.split(ZWNJ).forEach(function (part) {
      if (FA_PREFIXES[part] === true || FA_SUFFIXES[part] === true) return;
      found = found.concat(termsOf(part, segment(part, false)[1], rules));
    });
    return found.filter(function (t, i) { return found.indexOf(t) === i; });
  }

  var termCache = { fa: new Map(), ar: new Map(), '': new Map() };

  /** The index terms of one [word, kind] from words(): bigrams, a stem, or nothing.
   * language: the locale's primary language subtag ("fa", "ar", "en", ...; "" unknown).
   * A word's own term comes first, then its other readings (ZWNJ parts, stems). */
  function terms(word, kind, language) {
    var rules = rulesOf(language), cache = termCache[rules], key = kind + ':' + word;
    var hit = cache.get(key);
    if (hit === undefined) {
      if (cache.size > 100000) cache.clear();
      hit = termsOf(word, kind, rules);
      cache.set(key, hit);
    }
    return hit.slice();
  }

  /** All the terms of a text: terms() of every word of normalize(text), in order.
   * language: the locale's primary language subtag ("fa", "ar", ...; "" or omitted: unknown). */
  function tokenize(text, language) {
    var out = [];
    words(normalize(text)).forEach(function (wk) {
      var t = terms(wk[0], wk[1], language);
      for (var i = 0; i < t.length; i++) out.push(t[i]);
    });
    return out;
  }

  var api = {
    normalize: normalize,
    words: words,
    terms: terms,
    tokenize: tokenize,
    stem: stem,
    isStopWord: isStopWord,
    shapeTerms: shapeTerms,
    SHAPE_MARK: SHAPE_MARK,
    UNICODE_VERSION: UNICODE_VERSION,
    UNICODE_TABLE: UNICODE_TABLE
  };
  if (root) root.HelpgenText = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
})(typeof window !== 'undefined' ? window
  : (typeof globalThis !== 'undefined' ? globalThis : this));
