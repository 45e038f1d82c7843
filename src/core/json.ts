/**
 * JSON decoding that never loses digits of 64-bit ids: integer literals too long for a double come out as
 * strings. Also the id/sequence helpers parsers use on decoded values.
 */
import { VenueError } from './errors.js';

/** An update/sequence id: a JS number while it is a safe integer, a bigint beyond 2^53. */
export type UpdateId = number | bigint;

/**
 * Parses JSON text. Integer literals outside strings that are not safe integers become decimal strings
 * (so `{"orderId":12345678901234567890}` gives `orderId: "12345678901234567890"`). Throws `decode`.
 *
 * The common case costs one JSON.parse plus a walk of the decoded values: any integer literal beyond 2^53
 * decodes to a number that is not a safe integer, and only then is the text re-parsed with those literals
 * quoted (exact). Scanning the text for long digit runs first would cost more than the parse itself.
 */
export function parseJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return typeof value === 'number' && isUnsafeInteger(value) ? JSON.parse(quoteUnsafeIntegers(text)) : value;
    if (!walk(value, 1)) return value;
    const exact: unknown = JSON.parse(quoteUnsafeIntegers(text));
    // The walk stopped at the first unsafe integer: the rest of the tree still has its depth checked.
    if (typeof exact === 'object' && exact !== null) walk(exact, 1);
    return exact;
  } catch (err) {
    if (err instanceof SyntaxError) {
      throw new VenueError('decode', `malformed JSON: ${err.message}; text starts ${JSON.stringify(text.slice(0, 80))}`);
    }
    throw err;
  }
}

/**
 * How deeply decoded JSON may nest. Venue payloads nest a handful of levels (a Bybit book frame: frame → data →
 * side → level = 4); a value nested deeper is nonsense (or an attack on every recursive walk of it, ours
 * included) and is a `decode` error. JSON.parse itself is iterative; the walk below is what the stack bounds.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * True when a decoded JSON value holds an integer-valued number that is not a safe integer: the trace an
 * integer literal beyond 2^53 leaves (rounding is monotonic, so such a literal never decodes to a safe one).
 * @throws VenueError `decode` when the value nests deeper than `MAX_JSON_DEPTH`.
 */
export function hasUnsafeInteger(value: object): boolean {
  return walk(value, 1);
}

/** `hasUnsafeInteger` at nesting `depth`: one comparison per object or array, nothing per scalar. */
function walk(value: object, depth: number): boolean {
  if (depth > MAX_JSON_DEPTH) throw new VenueError('decode', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'string') continue;
      if (typeof v === 'number') {
        if (isUnsafeInteger(v)) return true;
      } else if (typeof v === 'object' && v !== null && walk(v, depth + 1)) return true;
    }
    return false;
  }
  const o = value as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (typeof v === 'string') continue;
    if (typeof v === 'number') {
      if (isUnsafeInteger(v)) return true;
    } else if (typeof v === 'object' && v !== null && walk(v, depth + 1)) return true;
  }
  return false;
}

function isUnsafeInteger(v: number): boolean {
  return !Number.isSafeInteger(v) && Number.isInteger(v);
}

/** Rewrites unquoted integer literals that are not safe integers into JSON strings. */
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let last = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      if (c === 45) i++;
      while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      const next = i < n ? text.charCodeAt(i) : 0;
      const isInteger = next !== 46 /* . */ && next !== 101 /* e */ && next !== 69; /* E */
      if (isInteger && i - start >= 16) {
        const literal = text.slice(start, i);
        if (!Number.isSafeInteger(Number(literal))) {
          out += text.slice(last, start) + '"' + literal + '"';
          last = i;
        }
      }
      if (!isInteger) {
        while (i < n && /[0-9.eE+-]/.test(text[i] as string)) i++;
      }
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Reads an id field (order id, trade id) as a string without loss; throws `decode` when absent. */
export function idString(value: unknown, field: string): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  throw new VenueError('decode', `field ${field}: expected an id, got ${describe(value)}`);
}

/** Reads a sequence/update id: a number when safe, a bigint when it came quoted or is too large. */
export function updateId(value: unknown, field: string): UpdateId {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : BigInt(value);
  }
  if (typeof value === 'bigint') return value;
  throw new VenueError('decode', `field ${field}: expected an integer sequence id, got ${describe(value)}`);
}

/** `a - b` for update ids, as a number when both are numbers (the hot path), else exact via bigint. */
export function idCompare(a: UpdateId, b: UpdateId): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when `b` is exactly `a + 1`. */
export function idIsNext(a: UpdateId, b: UpdateId): boolean {
  if (typeof a === 'number' && typeof b === 'number') return b === a + 1;
  return BigInt(b) === BigInt(a) + 1n;
}

/** JSON.stringify that writes bigints as plain integer strings. */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Short description of a value for error messages (never the whole payload). */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `bigint ${value}`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value); // undefined for functions and symbols
  } catch {
    text = Object.prototype.toString.call(value); // circular, or a bigint inside
  }
  const s = typeof value === 'string' ? text : `${typeof value} ${text}`;
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
