/**
 * A hand-written scanner for Bybit `orderbook.{depth}.{symbol}` frames (spot and derivatives): the stream's hot
 * path without `JSON.parse`. Returns exactly what `parseJson` returns, or `undefined` for anything it does not
 * recognise with certainty, so the caller falls back to `parseJson`.
 */

/** Start of every order-book push, up to the topic's depth. */
const BOOK_HEAD = '{"topic":"orderbook.';
/** What makes JSON.parse decode or reject a string differently from its raw text: escapes, control characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_RAW_TEXT = /[\u0000-\u001f\\]/;

// Scanner state: the text and the cursor. Module-level so the scan allocates nothing but its results.
let t = '';
let i = 0;

/**
 * Decodes a Bybit order-book frame written the way Bybit writes it: no whitespace, no escapes, keys in the
 * venue's order (spot `topic,ts,type,data,cts`; derivatives `topic,type,ts,data,cts`; `cts` may be absent;
 * `data` is `s,b,a,u,seq`), integers without sign, fraction or exponent, levels as arrays of strings. The
 * result deep-equals `parseJson(text)`: same keys in the same order, the level strings untouched, integers
 * beyond 2^53 as their decimal strings. Anything else (another topic, an extra or reordered key, a
 * pretty-printed or malformed frame) gives `undefined`.
 */
export function scanBybitBookFrame(text: string): object | undefined {
  if (!text.startsWith(BOOK_HEAD)) return undefined;
  // One native pass rules out escapes and control characters: every string then ends at its next quote.
  if (NOT_RAW_TEXT.test(text)) return undefined;
  t = text;
  i = 1 + '"topic":'.length;
  let out = bookFrame();
  if (i !== text.length) out = undefined; // trailing text (or a failed scan): let JSON.parse judge it
  t = '';
  return out;
}

/** The frame after `{"topic":`, with the cursor on the topic's opening quote. */
function bookFrame(): object | undefined {
  const topic = str();
  if (topic === undefined) return undefined;
  let ts: number | string | undefined;
  let type: string | undefined;
  let spotOrder: boolean;
  if (key(',"ts":')) {
    spotOrder = true;
    ts = int();
    if (ts === undefined || !key(',"type":')) return undefined;
    type = str();
  } else if (key(',"type":')) {
    spotOrder = false;
    type = str();
    if (type === undefined || !key(',"ts":')) return undefined;
    ts = int();
  } else return undefined;
  if (ts === undefined || type === undefined || !key(',"data":{"s":')) return undefined;
  const s = str();
  if (s === undefined || !key(',"b":')) return undefined;
  const b = levels();
  if (b === undefined || !key(',"a":')) return undefined;
  const a = levels();
  if (a === undefined || !key(',"u":')) return undefined;
  const u = int();
  if (u === undefined || !key(',"seq":')) return undefined;
  const seq = int();
  if (seq === undefined || t.charCodeAt(i) !== 125 /* } */) return undefined;
  i++;
  const data = { s, b, a, u, seq };
  if (t.charCodeAt(i) === 125) {
    i++;
    return spotOrder ? { topic, ts, type, data } : { topic, type, ts, data };
  }
  if (!key(',"cts":')) return undefined;
  const cts = int();
  if (cts === undefined || t.charCodeAt(i) !== 125) return undefined;
  i++;
  return spotOrder ? { topic, ts, type, data, cts } : { topic, type, ts, data, cts };
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
