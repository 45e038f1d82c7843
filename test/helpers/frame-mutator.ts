/**
 * Seeded, reproducible mutations of real venue frames, as a hostile or buggy venue could send them: numbers
 * made huge, negative, zero, fractional or 20-digit; decimal strings made empty, signed, exponent, padded,
 * comma, garbage or very long; enum values changed to unknown ones; fields deleted, added or renamed; arrays
 * emptied, truncated, nested or reordered; type swaps; truncated or garbled text, non-object JSON, deep nesting.
 * One mutation per frame; the same seed gives the same mutations.
 */

/** A decoded JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where a value sits in a frame: object keys and array indices from the root. */
export type Path = ReadonlyArray<string | number>;

/** mulberry32: small, fast and reproducible across runs and platforms. */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  /** In [0, 1). */
  float(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[this.int(xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
}

export interface Mutation {
  /** What was done: `number:huge-id`, `field:delete`, `text:truncated`... */
  readonly kind: string;
  /** Where: a path like `data.b[3][1]`, or `(text)` for a change of the serialized frame. */
  readonly where: string;
  readonly path: Path | undefined;
  /** The value before and after, shortened. */
  readonly detail: string;
}

export interface Mutant {
  readonly text: string;
  readonly mutation: Mutation;
  /** The text is no longer a JSON object (invalid JSON, an array, a number...): a client must report it. */
  readonly unparseable: boolean;
}

export interface MutateOptions {
  /** Mutate only one of these values (e.g. the sequence ids of a book frame); default: anywhere. */
  readonly paths?: readonly Path[];
  /**
   * With `paths`: only the changes a venue's meaning hinges on (absurd, negative or zero ids and amounts,
   * unknown enum values), not the type swaps and renames every field gets.
   */
  readonly semantic?: boolean;
  /** Top-level keys a random walk enters one time in twenty (routing envelopes: a mutation there routes nowhere). */
  readonly rare?: readonly string[];
  /** Share of text-level mutations when `paths` is not given (default 0.15). */
  readonly textShare?: number;
}

/** A JSON literal written as is (numbers JSON.stringify cannot write: 99999999999999999999, 1e400). */
class Raw {
  constructor(readonly text: string) {}
}

type Value = Json | Raw;
const DELETE: unique symbol = Symbol('delete');
type Change = { kind: string; value: Value | typeof DELETE } | { kind: string; rename: string };

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** One mutation of `frame` (left untouched), serialized. */
export function mutate(rng: Rng, frame: Json, opts: MutateOptions = {}): Mutant {
  const text = JSON.stringify(frame);
  if (opts.paths === undefined && rng.chance(opts.textShare ?? 0.15)) return textMutant(rng, text);
  const candidates = opts.paths?.filter((p) => valueAt(frame, p) !== undefined);
  const focused = candidates !== undefined && candidates.length > 0;
  const path = focused ? rng.pick(candidates) : pickPath(rng, frame, opts.rare ?? []);
  if (path.length === 0) return textMutant(rng, text);
  const before = valueAt(frame, path) as Json;
  const change = focused && opts.semantic === true ? semanticChange(rng, before) : valueChange(rng, before, typeof path[path.length - 1] === 'string', path[path.length - 1]);
  const copy = structuredClone(frame);
  const parent = valueAt(copy, path.slice(0, -1)) as Record<string, Value> | Value[];
  const last = path[path.length - 1] as string | number;
  let detail: string;
  if ('rename' in change) {
    const obj = parent as Record<string, Value>;
    const v = obj[last as string] as Value;
    delete obj[last as string];
    obj[change.rename] = v;
    detail = `${String(last)} → ${change.rename}`;
  } else if (change.value === DELETE) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last as string];
    detail = `${short(before)} deleted`;
  } else {
    (parent as Record<string | number, Value>)[last] = change.value;
    detail = `${short(before)} → ${short(change.value)}`;
  }
  const out = serialize(copy as Value);
  return { text: out, mutation: { kind: change.kind, where: pathText(path), path, detail }, unparseable: !isJsonObject(out) };
}

/** The value at `path`, or undefined when the path does not exist. */
export function valueAt(root: unknown, path: Path): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** `data.b[3][1]` for `['data', 'b', 3, 1]`. */
export function pathText(path: Path): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || '(root)';
}

/** A random walk from the root: containers are mutated as a whole now and then, leaves otherwise; `rare` keys one time in twenty. */
function pickPath(rng: Rng, root: Json, rare: readonly string[]): Array<string | number> {
  const path: Array<string | number> = [];
  let v: Json = root;
  for (;;) {
    let keys: Array<string | number> = Array.isArray(v) ? v.map((_, i) => i) : typeof v === 'object' && v !== null ? Object.keys(v) : [];
    if (keys.length === 0 || (path.length > 0 && rng.chance(0.2))) return path;
    if (path.length === 0 && rare.length > 0) {
      const common = keys.filter((k) => !rare.includes(String(k)));
      const few = keys.filter((k) => rare.includes(String(k)));
      if (common.length > 0 && few.length > 0) keys = rng.chance(0.05) ? few : common;
    }
    const k = rng.pick(keys);
    path.push(k);
    v = (v as Record<string | number, Json>)[k] as Json;
  }
}

function valueChange(rng: Rng, v: Json, keyed: boolean, key: string | number | undefined): Change {
  const options: Array<() => Change> = [];
  const set =
    (kind: string, value: Value | typeof DELETE) =>
    (): Change => ({ kind, value });
  if (keyed) {
    options.push(set('field:delete', DELETE));
    options.push(() => ({ kind: 'field:rename', rename: `${String(key)}_` }));
    const other = String(key).toUpperCase() !== String(key) ? String(key).toUpperCase() : String(key).toLowerCase();
    if (other !== String(key)) options.push(() => ({ kind: 'field:rename-case', rename: other }));
  }
  if (typeof v === 'number') {
    options.push(
      set('number:huge-id', new Raw('99999999999999999999')),
      set('number:huge-negative', new Raw('-99999999999999999999')),
      set('number:2^53+1', new Raw('9007199254740993')),
      set('number:1e308', new Raw('1e308')),
      set('number:1e400', new Raw('1e400')),
      set('number:negative', v === 0 ? -7 : -Math.abs(v)),
      set('number:zero', 0),
      set('number:fraction', v + 0.5),
      set('number→string', String(v)),
      set('number→nan-string', rng.pick(['NaN', 'Infinity', '-0', '1e3', '0x1F', ' 12 ', ''])),
      set('number→20-digit-string', '99999999999999999999'),
      set('number→bool', true),
      set('number→null', null),
      set('number→object', {}),
    );
  } else if (typeof v === 'string' && DECIMAL.test(v)) {
    options.push(
      set('decimal:sign-flipped', v.startsWith('-') ? v.slice(1) : `-${v}`),
      set('decimal:zero', '0'),
      set('decimal:negative-zero', '-0.0'),
      set('decimal:exponent', '1e5'),
      set('decimal:nan', rng.pick(['NaN', 'Infinity', '-Infinity'])),
      set('decimal:empty', ''),
      set('decimal:padded', ` ${v} `),
      set('decimal:comma', v.includes('.') ? v.replace('.', ',') : `${v},5`),
      set('decimal:suffix', `${v}abc`),
      set('decimal:plus', `+${v}`),
      set('decimal:hex', '0x10'),
      set('decimal:huge', '9'.repeat(400)),
      set('decimal:tiny', `0.${'0'.repeat(60)}1`),
      set('decimal:20-digit', '99999999999999999999'),
      set('decimal→number', new Raw(v)),
      set('decimal→null', null),
    );
  } else if (typeof v === 'string') {
    options.push(
      set('enum:unknown', v.toUpperCase() !== v ? v.toUpperCase() : `${v}_NEW`),
      set('enum:unknown-name', `UNKNOWN_${v}`),
      set('string:empty', ''),
      set('string:garbage', '\u0000\ufffd\ud800}"'),
      set('string:long', 'x'.repeat(10_000)),
      set('string→number', 0),
      set('string→null', null),
      set('string→bool', false),
    );
  } else if (typeof v === 'boolean') {
    options.push(set('bool:flip', !v), set('bool→string', String(v)), set('bool→number', 1), set('bool→null', null));
  } else if (v === null) {
    options.push(set('null→number', 0), set('null→string', 'null'), set('null→object', {}));
  } else if (Array.isArray(v)) {
    const i = v.length === 0 ? 0 : rng.int(v.length);
    options.push(
      set('array:empty', []),
      set('array:drop-last', v.slice(0, -1)),
      set('array:drop-first', v.slice(1)),
      set('array:nested', [v]),
      set('array:element-nested', v.map((x, j) => (j === i ? [x] : x))),
      set('array:duplicate-first', v.length === 0 ? [] : [v[0] as Json, ...v]),
      set('array:reversed', [...v].reverse()),
      set('array:extra-element', [...v, 'x']),
      set('array→object', {}),
      set('array→string', 'x'),
      set('array→null', null),
      set('array:deep-nesting', new Raw(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)),
    );
  } else {
    options.push(
      set('object:add-field', { ...v, [`extra_${rng.int(1000)}`]: rng.pick<Json>([1, 'x', null, {}, [], true]) }),
      set('object:empty', {}),
      set('object→array', []),
      set('object→string', ''),
      set('object→null', null),
    );
  }
  return rng.pick(options)();
}

/** The changes a field's meaning hinges on: absurd, negative or zero numbers, ids and amounts; unknown enum values. */
function semanticChange(rng: Rng, v: Json): Change {
  const set = (kind: string, value: Value): Change => ({ kind, value });
  if (typeof v === 'number') {
    return rng.pick([
      set('number:huge-id', new Raw('99999999999999999999')),
      set('number:2^53+1', new Raw('9007199254740993')),
      set('number:negative', v === 0 ? -7 : -Math.abs(v)),
      set('number:zero', 0),
      set('number→20-digit-string', '99999999999999999999'),
    ]);
  }
  if (typeof v === 'string' && DECIMAL.test(v)) {
    return rng.pick([
      set('decimal:sign-flipped', v.startsWith('-') ? v.slice(1) : `-${v}`),
      set('decimal:zero', '0'),
      set('decimal:negative-zero', '-0.0'),
      set('decimal:20-digit', '99999999999999999999'),
      set('decimal:huge', '9'.repeat(400)),
    ]);
  }
  if (typeof v === 'string') return rng.pick([set('enum:unknown', v.toUpperCase() !== v ? v.toUpperCase() : `${v}_NEW`), set('enum:unknown-name', `UNKNOWN_${v}`), set('string:empty', '')]);
  if (typeof v === 'boolean') return set('bool→string', String(v));
  return valueChange(rng, v, false, undefined);
}

function textMutant(rng: Rng, text: string): Mutant {
  const at = rng.int(Math.max(1, text.length));
  const options: Array<[string, () => string]> = [
    ['text:truncated', () => text.slice(0, at)],
    ['text:garbled', () => text.slice(0, at) + rng.pick(['{', '}', '[', ']', '"', ',', ':', '\\', 'x']) + text.slice(at + 1)],
    ['text:trailing-garbage', () => text + rng.pick(['}', ']', ',', 'x', ' {}'])],
    ['text:non-object', () => rng.pick(['42', '"stream"', 'null', 'true', '[]', '[1,2,3]', '-0', '1e400'])],
    ['text:empty-object', () => '{}'],
    ['text:empty', () => ''],
    ['text:bom', () => `\ufeff${text}`],
    ['text:deep-nesting', () => `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
  ];
  const [kind, make] = rng.pick(options);
  const out = make();
  return { text: out, mutation: { kind, where: '(text)', path: undefined, detail: `${text.length} → ${out.length} chars: ${JSON.stringify(out.slice(0, 60))}` }, unparseable: !isJsonObject(out) };
}

/** Whether `text` parses as a JSON object (what a venue frame must be). */
export function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

function serialize(v: Value): string {
  const raws: string[] = [];
  const text = JSON.stringify(v, (_k, x: unknown) => {
    if (x instanceof Raw) {
      raws.push(x.text);
      return `\u0001RAW${raws.length - 1}\u0001`;
    }
    return x;
  });
  return text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)] as string);
}

function short(v: Value | undefined): string {
  const s = v instanceof Raw ? v.text : JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 40 ? `${s.slice(0, 37)}...(${s.length})` : s;
}
