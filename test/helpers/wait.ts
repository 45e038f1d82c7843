/** Test helpers: poll a condition with a deadline (never a bare sleep) and locate the vendored fixtures. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Resolves once `condition()` is truthy; rejects with `what` after `timeoutMs`. */
export async function waitFor<T>(condition: () => T | Promise<T>, what = 'condition', timeoutMs = 5000, everyMs = 5): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await condition();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Absolute path of the vendored real fixtures (`test/fixtures/<venue>/{rest,ws}/...`). */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** Raw text of a fixture file, e.g. `fixtureText('binance/ws/spot-trade.json')`. */
export function fixtureText(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

/** Lines of a JSONL fixture, empty lines dropped. */
export function fixtureLines(path: string): string[] {
  return fixtureText(path).split('\n').filter((l) => l.trim() !== '');
}
