/** parseBookPush's field reads off its hot path: `ts` and sequence ids written otherwise, malformed fields named. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import { parseBookPush } from '../../../src/exchanges/okx/parse.js';
import { fixtureText } from '../../helpers/wait.js';

const AT = 1_800_000_000_000;
const text = fixtureText('okx/ws/books-update.json');
/** The documented update with its book's fields edited. */
function variant(edit: (book: Record<string, unknown>) => void): unknown {
  const frame = parseJson(text) as { data: Array<Record<string, unknown>> };
  edit(frame.data[0] as Record<string, unknown>);
  return frame;
}

test('reads ts from its digits, up to 16 of them, and uses the receive time when ts is absent or empty', () => {
  assert.equal(parseBookPush(parseJson(text), 'BTC/USDT', AT).exchangeTime, 1597026383085);
  assert.equal(parseBookPush(variant((b) => (b['ts'] = '0001597026383085')), 'BTC/USDT', AT).exchangeTime, 1597026383085);
  assert.equal(parseBookPush(variant((b) => (b['ts'] = 1597026383085)), 'BTC/USDT', AT).exchangeTime, 1597026383085, 'ts as a number');
  for (const ts of [undefined, null, '']) assert.equal(parseBookPush(variant((b) => (b['ts'] = ts)), 'BTC/USDT', AT).exchangeTime, AT, String(ts));
});

test('names the malformed field: ts, bids, seqId', () => {
  const cases: Array<[string, (b: Record<string, unknown>) => void]> = [
    ['data[0].ts', (b) => (b['ts'] = '15970263830x5')],
    ['data[0].ts', (b) => (b['ts'] = '99999999999999999')],
    ['data[0].bids', (b) => (b['bids'] = 'none')],
    ['data[0].seqId', (b) => (b['seqId'] = 1.5)],
    ['data[0].prevSeqId', (b) => (b['prevSeqId'] = 'x')],
  ];
  for (const [field, edit] of cases) {
    assert.throws(
      () => parseBookPush(variant(edit), 'BTC/USDT', AT),
      (err: unknown) => VenueError.is(err, 'decode') && (err as Error).message.includes(`field ${field}:`),
      field,
    );
  }
});

test('reads sequence ids written as digits or beyond 2^53 exactly', () => {
  const m = parseBookPush(variant((b) => ((b['seqId'] = '18446744073709551615'), (b['prevSeqId'] = '123456'))), 'BTC/USDT', AT);
  assert.equal(m.seq, 18446744073709551615n);
  assert.equal(m.prevSeq, 123456);
});
