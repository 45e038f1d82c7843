/**
 * Checked reads of fields from decoded OKX payloads, where every value is a string (`"ts":"1597026383085"`,
 * `"px":"8476.98"`): each failure is a `decode` VenueError naming the field path. Used by parse.ts.
 */
import { Decimal } from '../../core/decimal.js';
import { VenueError } from '../../core/errors.js';
import { describe } from '../../core/json.js';
import { VENUE } from './config.js';

/** A decoded JSON object whose fields are still unchecked. */
export type Fields = Readonly<Record<string, unknown>>;

/** Throws the decode error for `path`. */
export function fail(path: string, expected: string, got: unknown): never {
  throw new VenueError('decode', `field ${path}: expected ${expected}, got ${describe(got)}`, { venue: VENUE });
}

/** `value` as an object (not null, not an array). */
export function asObject(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  return value as Fields;
}

/** `value` as an array. */
export function asArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value;
}

/** A non-empty string field. */
export function readString(o: Fields, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') fail(`${path}${key}`, 'a non-empty string', v);
  return v;
}

/** A string field that may be absent, null or empty (OKX writes `""` for "not applicable"). */
export function readOptionalString(o: Fields, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') fail(`${path}${key}`, 'a string', v);
  return v;
}

/** An integer written as a decimal string or a JSON number that fits a JS number exactly (times in ms). */
export function integerOf(v: unknown, path: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,16}$/.test(v)) {
    const n = Number(v);
    if (Number.isSafeInteger(n)) return n;
  }
  return fail(path, 'an integer string', v);
}

/** An integer field (string or number). */
export function readInteger(o: Fields, key: string, path: string): number {
  return integerOf(o[key], `${path}${key}`);
}

/** An integer field that may be absent or `""`. */
export function readOptionalInteger(o: Fields, key: string, path: string): number | undefined {
  const v = o[key];
  return v === undefined || v === null || v === '' ? undefined : integerOf(v, `${path}${key}`);
}

/** A decimal string, exact. */
export function decimalOf(v: unknown, path: string): Decimal {
  const d = typeof v === 'string' ? Decimal.tryParse(v) : undefined;
  if (d === undefined) fail(path, 'a decimal string', v);
  return d;
}

/** A decimal-string field, exact. */
export function readDecimal(o: Fields, key: string, path: string): Decimal {
  return decimalOf(o[key], `${path}${key}`);
}

/** A decimal-string field that may be absent, null or `""`. */
export function readOptionalDecimal(o: Fields, key: string, path: string): Decimal | undefined {
  const v = o[key];
  return v === undefined || v === null || v === '' ? undefined : decimalOf(v, `${path}${key}`);
}

/** A positive decimal field, or undefined when absent, `""` or zero. */
export function readPositiveDecimal(o: Fields, key: string, path: string): Decimal | undefined {
  const d = readOptionalDecimal(o, key, path);
  return d === undefined || !d.isPositive() ? undefined : d;
}
