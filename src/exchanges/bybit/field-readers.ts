/**
 * Checked reads of fields from decoded Bybit payloads: each failure is a `decode` VenueError naming the
 * field path. Bybit writes most numbers as strings and `""` for "not applicable", which reads as absent.
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

/** A string field that may be absent, null or empty (all read as undefined). */
export function readOptionalString(o: Fields, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') fail(`${path}${key}`, 'a string', v);
  return v;
}

/** A boolean field. */
export function readBoolean(o: Fields, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') fail(`${path}${key}`, 'a boolean', v);
  return v;
}

/** An integer that fits a JS number exactly, written as a JSON number or as a digit string (`"1672052955758"`). */
export function integerOf(v: unknown, path: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,16}$/.test(v)) {
    const n = Number(v);
    if (Number.isSafeInteger(n)) return n;
  }
  fail(path, 'an integer', v);
}

/** An integer field (timestamps, counts), as a number or a digit string. */
export function readInteger(o: Fields, key: string, path: string): number {
  return integerOf(o[key], `${path}${key}`);
}

/** An integer field that may be absent, null or `""`. */
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

/** A limit where absent, `""` or zero means "no limit": undefined then, else the positive value. */
export function readLimit(o: Fields, key: string, path: string): Decimal | undefined {
  const d = readOptionalDecimal(o, key, path);
  return d === undefined || !d.isPositive() ? undefined : d;
}

/** A strictly positive step (tick size, quantity step). */
export function readStep(o: Fields, key: string, path: string): Decimal {
  const d = readDecimal(o, key, path);
  if (!d.isPositive()) fail(`${path}${key}`, 'a positive step', o[key]);
  return d;
}
