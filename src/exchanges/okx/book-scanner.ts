/**
 * A hand-written scanner for OKX `books` pushes (and the same-shaped `books*-l2-tbt`): the stream's hot path
 * without `JSON.parse`. Returns exactly what `parseJson` returns, or `undefined` for anything it does not
 * recognise with certainty, so the caller falls back to `parseJson`.
 */

/** Start of every push on a `books…` channel, up to the rest of the channel name. */
const BOOKS_HEAD = '{"arg":{"channel":"books';
/** What makes JSON.parse decode or reject a string differently from its raw text: escapes, control characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_RAW_TEXT = /[\u0000-\u001f\\]/;

// Scanner state: the text and the cursor. Module-level so the scan allocates nothing but its results.
let t = '';
let i = 0;

/**
 * Decodes an OKX `books` push written the way OKX writes it: no whitespace, no escapes, keys in the venue's
 * order (`arg{channel,instId},action,data[{asks,bids,ts,checksum,prevSeqId,seqId}]`; recordings from before
 * 2023 end the book at `checksum`), integers without fraction or exponent, levels as arrays of strings. The
 * result deep-equals `parseJson(text)`: same keys in the same order, the level strings untouched, integers
 * beyond 2^53 as their decimal strings. Anything else (`books5`, another channel, an extra or reordered
 * key, a pretty-printed or malformed frame) gives `undefined`.
 */
export function scanOkxBooksFrame(text: string): object | undefined {
  if (!text.startsWith(BOOKS_HEAD)) return undefined;
  // One native pass rules out escapes and control characters: every string then ends at its next quote.
  if (NOT_RAW_TEXT.test(text)) return undefined;
  t = text;
  i = BOOKS_HEAD.length - '"books'.length;
  let out = booksPush();
  if (i !== text.length) out = undefined; // trailing text (or a failed scan): let JSON.parse judge it
  t = '';
  return out;
}

/** The push after `{"arg":{"channel":`, with the cursor on the channel's opening quote. */
function booksPush(): object | undefined {
  const channel = str();
  if (channel === undefined || !key(',"instId":')) return undefined;
  const instId = str();
  if (instId === undefined || !key('},"action":')) return undefined;
  const action = str();
  if (action === undefined || !key(',"data":[{"asks":')) return undefined;
  const asks = levels();
  if (asks === undefined || !key(',"bids":')) return undefined;
  const bids = levels();
  if (bids === undefined || !key(',"ts":')) return undefined;
  const ts = str();
  if (ts === undefined || !key(',"checksum":')) return undefined;
  const checksum = int();
  if (checksum === undefined) return undefined;
  let book: object;
  if (key(',"prevSeqId":')) {
    const prevSeqId = int();
    if (prevSeqId === undefined || !key(',"seqId":')) return undefined;
    const seqId = int();
    if (seqId === undefined) return undefined;
    book = { asks, bids, ts, checksum, prevSeqId, seqId };
  } else book = { asks, bids, ts, checksum };
  if (!key('}]}')) return undefined;
  return { arg: { channel, instId }, action, data: [book] };
}

/** Skips `lit` when the text continues with it. */
function key(lit: string): boolean {
  if (!t.startsWith(lit, i)) return false;
  i += lit.length;
  return true;
}

/**
 * An integer literal, optionally negative (`checksum` is signed, a snapshot's `prevSeqId` is -1). Safe
 * integers come back as numbers (`-0` as -0, as JSON.parse gives it), others as their text (the `parseJson`
 * rule). A leading zero, fraction or exponent leaves the cursor where the caller's next expected character
 * will not match, so the frame falls back.
 */
function int(): number | string | undefined {
  const start = i;
  const negative = t.charCodeAt(i) === 45; /* - */
  if (negative) i++;
  const digits = i;
  let c = t.charCodeAt(i);
  if (c === 48 /* 0 */) {
    i++;
    return negative ? -0 : 0;
  }
  let v = 0;
  while (c >= 48 && c <= 57) {
    v = v * 10 + (c - 48);
    c = t.charCodeAt(++i);
  }
  const n = i - digits;
  if (n === 0) return undefined;
  if (n <= 15) return negative ? -v : v; // below 10^15: every step above was exact
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

/** `[]` or `[["px","sz","0","n"],…]`: one or more strings per level (OKX writes four). */
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
    const level = fourStrings() ?? someStrings();
    if (level === undefined) return undefined;
    out.push(level);
    const c = t.charCodeAt(i++);
    if (c === 93) return out;
    if (c !== 44) return undefined;
  }
}

/** `"a","b","c","d"]` as a four-element array (OKX's level), else `undefined` with the cursor unmoved. */
function fourStrings(): string[] | undefined {
  const start = i;
  const a = str();
  const b = a !== undefined && t.charCodeAt(i++) === 44 /* , */ ? str() : undefined;
  const c = b !== undefined && t.charCodeAt(i++) === 44 ? str() : undefined;
  const d = c !== undefined && t.charCodeAt(i++) === 44 ? str() : undefined;
  if (d !== undefined && t.charCodeAt(i++) === 93 /* ] */) return [a as string, b as string, c as string, d];
  i = start;
  return undefined;
}

/** `"a",…]`: any other non-empty run of strings closing a level. */
function someStrings(): string[] | undefined {
  const level: string[] = [];
  for (;;) {
    const s = str();
    if (s === undefined) return undefined;
    level.push(s);
    const c = t.charCodeAt(i++);
    if (c === 93 /* ] */) return level;
    if (c !== 44 /* , */) return undefined;
  }
}
