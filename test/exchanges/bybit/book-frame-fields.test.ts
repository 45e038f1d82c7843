/** parseBookFrame's field reads off its hot path: `cts` absent or written otherwise, `seq` absent or beyond 2^53. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import { parseBookFrame } from '../../../src/exchanges/bybit/parse.js';
import { fixtureLines } from '../../helpers/wait.js';

const AT = 1_800_000_000_000;
const line = fixtureLines('bybit/ws/orderbook-50-BTCUSDT-spot-recorded-sequence.jsonl')[1] as string;
/** The recorded delta with its top-level fields edited. */
function variant(edit: (frame: Record<string, unknown>) => void): unknown {
  const frame = parseJson(line) as Record<string, unknown>;
  edit(frame);
  return frame;
}
const recorded = parseJson(line) as { ts: number; cts: number };

test('takes exchange time from cts, falling back to ts when cts is absent, null or empty', () => {
  assert.equal(parseBookFrame(parseJson(line), 'BTC/USDT', AT).exchangeTime, recorded.cts);
  for (const cts of [undefined, null, '']) {
    const m = parseBookFrame(variant((f) => (f['cts'] = cts)), 'BTC/USDT', AT);
    assert.equal(m.exchangeTime, recorded.ts, String(cts));
  }
  assert.equal(parseBookFrame(variant((f) => (f['cts'] = String(recorded.cts))), 'BTC/USDT', AT).exchangeTime, recorded.cts, 'cts as digits');
});

test('rejects a cts that is not an integer with a decode error naming it', () => {
  for (const cts of ['soon', 1.5, 2 ** 60]) {
    assert.throws(
      () => parseBookFrame(variant((f) => (f['cts'] = cts)), 'BTC/USDT', AT),
      (err: unknown) => VenueError.is(err, 'decode') && /field cts/.test((err as Error).message),
      String(cts),
    );
  }
});

test('keeps the cross sequence when present (a bigint beyond 2^53) and omits it when absent', () => {
  const withoutSeq = parseBookFrame(variant((f) => delete (f['data'] as Record<string, unknown>)['seq']), 'BTC/USDT', AT);
  assert.equal('crossSeq' in withoutSeq, false);
  const big = parseBookFrame(variant((f) => ((f['data'] as Record<string, unknown>)['seq'] = '18446744073709551615')), 'BTC/USDT', AT);
  assert.equal(big.crossSeq, 18446744073709551615n);
});
