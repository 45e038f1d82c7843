/** `venuekit watch --json` and `venuekit demo` (what `npm start` runs) against the embedded simulator. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { watchCommand } from '../../src/cli/watch-command.js';
import { demoCommand } from '../../src/cli/demo-command.js';

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

test('watch --json prints book snapshots as JSON lines with exact decimal strings', async () => {
  const out = sink();
  await watchCommand(['book', 'BTCUSDT', '--exchange', 'binance', '--market', 'spot', '--json', '--count', '3', '--depth', '5'], out.stream);
  const lines = out.text().trim().split('\n').map((l) => JSON.parse(l) as { type: string; symbol: string; event: string; bids: Array<{ price: string; amount: string }> });
  assert.equal(lines.length, 3);
  assert.equal(lines[0]!.event, 'snapshot');
  assert.ok(lines.every((l) => l.type === 'book' && l.symbol === 'BTC/USDT' && l.bids.length === 5));
  assert.match(lines[0]!.bids[0]!.price, /^\d+\.\d+$/);
});

test('watch --json prints USD-M trades', async () => {
  const out = sink();
  await watchCommand(['trades', 'ETH/USDT:USDT', '--json', '--count', '2'], out.stream);
  const lines = out.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => l['type'] === 'trade' && l['symbol'] === 'ETH/USDT:USDT' && /^(buy|sell)$/.test(l['side'] as string)));
});

test('the demo syncs a book, survives an injected gap and a dropped connection, and ends by itself', async () => {
  const out = sink();
  await demoCommand(['--duration', '4'], out.stream);
  const text = out.text();
  assert.match(text, /loaded \d+ markets/);
  assert.match(text, /synced at update id \d+/);
  assert.match(text, /rebuilt from a fresh snapshot \(gap\)/);
  assert.match(text, /back after \d+ ms, subscriptions restored/);
  assert.match(text, /^done: \d+ book updates seen, \d+ trades; crossed books shown: 0, books going back in sequence: 0\.$/m);
});
