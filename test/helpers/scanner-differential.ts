/**
 * Differential-test tools for the venues' hand-written frame scanners: scanner vs `parseJson` on the same text,
 * pretty-printed fixtures compacted the way venues send them, and a seeded mutator for fuzzing.
 */
import { strict as assert } from 'node:assert';
import { VenueError } from '../../src/core/errors.js';
import { parseJson } from '../../src/core/json.js';

/** What a decode gives: the value as JSON text (order- and type-sensitive), or the error's message. */
function outcome(run: () => unknown): { value: string } | { error: string } {
  try {
    return { value: JSON.stringify(run()) };
  } catch (err) {
    assert.ok(VenueError.is(err, 'decode'), `unexpected error ${String(err)}`);
    return { error: (err as Error).message };
  }
}

/**
 * Asserts that `decode` (the dialect's, scanner first) gives exactly what parseJson gives, value or error,
 * and that `scan` either declines or returns a value deep-equal (-0 included) to parseJson's. Returns
 * whether the scanner took the frame.
 */
export function assertSameAsParseJson(decode: (text: string) => unknown, scan: (text: string) => object | undefined, text: string): boolean {
  const expected = outcome(() => parseJson(text));
  assert.deepEqual(outcome(() => decode(text)), expected, text.slice(0, 200));
  const scanned = scan(text);
  if (scanned === undefined) return false;
  assert.ok('value' in expected, `the scanner accepted a frame parseJson rejects: ${text.slice(0, 200)}`);
  assert.deepStrictEqual(scanned, parseJson(text), text.slice(0, 200));
  assert.equal(JSON.stringify(scanned), expected.value);
  return true;
}

/** Removes whitespace outside strings (doc fixtures are pretty-printed; venues send compact frames). */
export function compact(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] as string;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

/** mulberry32: a small deterministic PRNG so a fuzz is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['"', '\\', ',', ':', '[', ']', '{', '}', '0', '1', '9', '-', '.', 'e', 'E', ' ', '\t', '\n', '\u0001', 'é', '\u2028', 'a', 'u', 's', 'T'];

/**
 * One to three random edits of `text`: truncation, deletion, insertion or replacement of a character from a
 * JSON-hostile alphabet, a digit run made long (16–21 digits: safe or not), a run made negative or `-0`,
 * or a duplicated slice.
 */
export function mutate(text: string, rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const edits = 1 + Math.floor(rand() * 3);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(rand() * (text.length + 1));
    switch (Math.floor(rand() * 7)) {
      case 0:
        text = text.slice(0, at);
        break;
      case 1:
        text = text.slice(0, at) + text.slice(at + 1);
        break;
      case 2:
        text = text.slice(0, at) + pick(ALPHABET) + text.slice(at);
        break;
      case 3:
        text = text.slice(0, at) + pick(ALPHABET) + text.slice(at + 1);
        break;
      case 4: {
        const m = /\d+/g;
        m.lastIndex = at;
        const hit = m.exec(text);
        if (hit !== null) text = text.slice(0, hit.index) + '9'.repeat(14 + Math.floor(rand() * 8)) + text.slice(hit.index + hit[0].length);
        break;
      }
      case 5: {
        const m = /:\d+/g;
        m.lastIndex = at;
        const hit = m.exec(text);
        if (hit !== null) text = text.slice(0, hit.index) + (rand() < 0.3 ? ':-0' : ':-' + hit[0].slice(1)) + text.slice(hit.index + hit[0].length);
        break;
      }
      default:
        text = text.slice(0, at) + text.slice(at, at + Math.floor(rand() * 30)) + text.slice(at);
    }
  }
  return text;
}
