/**
 * A hand-written scanner for Binance diff-depth frames (raw `depthUpdate` and combined `{stream, data}`,
 * spot and USD-M): the stream's hot path without `JSON.parse`. Returns exactly what `parseJson` returns, or
 * `undefined` for anything it does not recognise with certainty, so the caller falls back to `parseJson`.
 */

/** Start of every raw diff-depth event; also of `data` in a combined frame. */
const DEPTH_HEAD = '{"e":"depthUpdate","E":';
/** Start of a combined-stream frame, up to the opening quote of the stream name. */
const COMBINED_HEAD = '{"stream":';
const DATA_KEY = ',"data":';
/** What makes JSON.parse decode or reject a string differently from its raw text: escapes, control characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_RAW_TEXT = /[\u0000-\u001f\\]/;

// Scanner state: the text and the cursor. Module-level so the scan allocates nothing but its results.
let t = '';
let i = 0;

/**
 * Decodes a Binance diff-depth frame written the way Binance writes it: no whitespace, no escapes, keys in
 * the venue's order (spot `e,E,s,U,u,b,a`; USD-M `e,E,T,s,U,u,pu,b,a`), integers without sign, fraction or
 * exponent, levels as `["price","qty"]` pairs. The result deep-equals `parseJson(text)`: same keys in the
 * same order, the level strings untouched, integers beyond 2^53 as their decimal strings. Anything else
 * (another event, an extra or reordered key, a pretty-printed or malformed frame) gives `undefined`.
 */
export function scanDepthFrame(text: string): object | undefined {
  let out: object | undefined;
  const depth = text.startsWith(DEPTH_HEAD);
  if (!depth && !text.startsWith(COMBINED_HEAD)) return undefined;
  // One native pass rules out escapes and control characters: every string then ends at its next quote.
  if (NOT_RAW_TEXT.test(text)) return undefined;
  t = text;
  i = 0;
  if (depth) {
    out = depthEvent();
  } else {
    i = COMBINED_HEAD.length;
    const stream = str();
    if (stream !== undefined && text.startsWith(DATA_KEY, i)) {
      i += DATA_KEY.length;
      const data = text.startsWith(DEPTH_HEAD, i) ? depthEvent() : undefined;
      if (data !== undefined && t.charCodeAt(i) === 125 /* } */) {
        i++;
        out = { stream, data };
      }
    }
  }
  if (i !== text.length) out = undefined; // trailing text (or a failed scan): let JSON.parse judge it
  t = '';
  return out;
}

/** One `depthUpdate` object starting at the cursor (known to start with `DEPTH_HEAD`). */
function depthEvent(): object | undefined {
  i += DEPTH_HEAD.length;
  const E = int();
  if (E === undefined) return undefined;
  if (t.startsWith(',"T":', i)) {
    i += 5;
    const T = int();
    if (T === undefined || !key(',"s":')) return undefined;
    const s = str();
    if (s === undefined || !key(',"U":')) return undefined;
    const U = int();
    if (U === undefined || !key(',"u":')) return undefined;
    const u = int();
    if (u === undefined || !key(',"pu":')) return undefined;
    const pu = int();
    if (pu === undefined || !key(',"b":')) return undefined;
    const b = levels();
    if (b === undefined || !key(',"a":')) return undefined;
    const a = levels();
    if (a === undefined || t.charCodeAt(i) !== 125 /* } */) return undefined;
    i++;
    return { e: 'depthUpdate', E, T, s, U, u, pu, b, a };
  }
  if (!key(',"s":')) return undefined;
  const s = str();
  if (s === undefined || !key(',"U":')) return undefined;
  const U = int();
  if (U === undefined || !key(',"u":')) return undefined;
  const u = int();
  if (u === undefined || !key(',"b":')) return undefined;
  const b = levels();
  if (b === undefined || !key(',"a":')) return undefined;
  const a = levels();
  if (a === undefined || t.charCodeAt(i) !== 125 /* } */) return undefined;
  i++;
  return { e: 'depthUpdate', E, s, U, u, b, a };
}

/** Skips `lit` when the text continues with it. */
function key(lit: string): boolean {
  if (!t.startsWith(lit, i)) return false;
  i += lit.length;
  return true;
}

/**
 * A non-negative integer literal. Safe integers come back as numbers, others as their digits (the
 * `parseJson` rule). A leading zero, sign, fraction or exponent leaves the cursor where the caller's next
 * expected character will not match, so the frame falls back.
 */
function int(): number | string | undefined {
  const start = i;
  let c = t.charCodeAt(i);
  if (c === 48 /* 0 */) {
    i++;
    return 0;
  }
  let v = 0;
  while (c >= 48 && c <= 57) {
    v = v * 10 + (c - 48);
    c = t.charCodeAt(++i);
  }
  const n = i - start;
  if (n === 0) return undefined;
  if (n <= 15) return v; // below 10^15: every step above was exact
  const literal = t.slice(start, i);
  const value = Number(literal);
  return Number.isSafeInteger(value) ? value : literal;
}

/** A string (the text was checked free of escapes and control characters, so it ends at the next quote). */
function str(): string | undefined {
  if (t.charCodeAt(i) !== 34 /* " */) return undefined;
  const start = i + 1;
  const end = t.indexOf('"', start);
  if (end < 0) return undefined;
  i = end + 1;
  return t.slice(start, end);
}

/** `[]` or `[["p","q"],…]`: exactly two strings per level. */
function levels(): string[][] | undefined {
  if (t.charCodeAt(i) !== 91 /* [ */) return undefined;
  const out: string[][] = [];
  if (t.charCodeAt(++i) === 93 /* ] */) {
    i++;
    return out;
  }
  for (;;) {
    if (t.charCodeAt(i) !== 91) return undefined;
    i++;
    const p = str();
    if (p === undefined || t.charCodeAt(i) !== 44 /* , */) return undefined;
    i++;
    const q = str();
    if (q === undefined || t.charCodeAt(i) !== 93) return undefined;
    out.push([p, q]);
    const c = t.charCodeAt(++i);
    i++;
    if (c === 93) return out;
    if (c !== 44) return undefined;
  }
}
