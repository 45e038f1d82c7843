/** OKX inside `startSimulator`: its own market, its endpoints, stats, and the OKX faults through the control API. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSimulator } from '../../../src/testing/index.js';
import { item, OkxProbe } from './okx-helpers.js';
import { getJson, postJson } from './sim-helpers.js';

test('the simulator serves OKX on its own market and routes the OKX faults of the control API to it', async () => {
  await using sim = await startSimulator({ venues: ['binance', 'okx'], symbols: 1, tickMs: 0, depth: 200, warmupSteps: 10 });
  const okx = sim.frontEnd('okx');
  assert.notEqual(sim.marketOf('okx'), sim.market);
  const endpoints = sim.endpoints.okx;
  assert.ok(endpoints !== undefined);
  const time = await getJson(`${endpoints.rest}/api/v5/public/time`);
  assert.equal((time.body as { code: string }).code, '0');
  assert.deepEqual(
    okx.listedSymbols().map((l) => l.id),
    [...sim.marketOf('okx').instruments.values()].map((i) => okx.instrument(i.symbol).instId),
  );
  for (const type of ['okx-prev-seq-break', 'okx-bad-checksum', 'okx-sequence-reset']) {
    const r = await postJson(`${sim.endpoints.control}/_sim/faults`, { type, venue: 'okx', symbol: 'BTC-USDT' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual((r.body as { applied: unknown }).applied, { type, instId: 'BTC-USDT' });
  }
  const armed = okx.streams.feed(okx.instrument('BTC/USDT')).armed;
  assert.deepEqual(armed, { prevSeqIdBreak: 1, badChecksum: 1, sequenceReset: 1 });
  assert.equal(sim.stats.rest['okx']?.total, 1);
});

test('the top-level okxChecksums option turns the real books checksum on', async () => {
  await using sim = await startSimulator({ venues: ['binance', 'okx'], symbols: 1, tickMs: 0, depth: 100, warmupSteps: 10, okxChecksums: true });
  const probe = await new OkxProbe(sim.endpoints.okx?.public ?? '').opened();
  try {
    probe.subscribe([{ channel: 'books', instId: 'BTC-USDT' }]);
    const snap = await probe.next((f) => f['action'] === 'snapshot', 'snapshot');
    assert.notEqual(item(snap)['checksum'], 0);
  } finally {
    probe.close();
  }
});
