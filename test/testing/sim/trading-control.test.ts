// The trading fault switches through the simulator's control API (for clients in other processes: ccxt, the CLI).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { okx } from '../../../src/client/okx.js';
import { startSimulator, SIM_DEMO_ACCOUNT } from '../../../src/testing/sim/server.js';

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

test('ack, private-event and drop-private faults are set, shown in state, cleared, and refused when malformed', async () => {
  await using sim = await startSimulator({ venues: ['binance', 'okx'], symbols: ['BTC/USDT'] });
  const faults = `${sim.endpoints.control}/_sim/faults`;
  assert.equal((await post(faults, { type: 'ack', venue: 'okx', kind: 'timeout-after-accept', ms: 500, count: 2 })).status, 200);
  assert.equal((await post(faults, { type: 'private-events', venue: 'okx', kind: 'duplicate', count: 3 })).status, 200);
  const state = (await (await fetch(`${sim.endpoints.control}/_sim/state`)).json()) as { tradingFaults: { pendingAcks: number; pendingEvents: number } };
  assert.deepEqual([state.tradingFaults.pendingAcks, state.tradingFaults.pendingEvents], [2, 3]);
  assert.equal(sim.tradingFaults.takeAckFault('okx')?.kind, 'timeout-after-accept');
  assert.equal((await post(faults, { type: 'clear' })).status, 200);
  assert.deepEqual(sim.tradingFaults.state().pendingAcks, 0);
  assert.equal((await post(faults, { type: 'ack', venue: 'binance', kind: 'garble' })).status, 200);
  assert.equal(sim.tradingFaults.takeAckFault('binance')?.kind, 'garble');
  assert.equal((await post(faults, { type: 'ack', venue: 'okx', kind: 'vanish' })).status, 400);
  assert.equal((await post(faults, { type: 'ack', kind: 'lose' })).status, 400);
  assert.equal((await post(faults, { type: 'private-events', venue: 'okx', kind: 'reorder' })).status, 400);

  await using ex = okx({ urls: sim.endpoints.okx as NonNullable<typeof sim.endpoints.okx>, credentials: SIM_DEMO_ACCOUNT });
  await ex.loadMarkets();
  await ex.startPrivateStreams();
  const dropped = await post(faults, { type: 'drop-private', venue: 'okx' });
  assert.equal(dropped.status, 200);
  assert.equal((dropped.json['applied'] as { connections: number }).connections, 1);
  await new Promise<void>((r) => ex.events.once('private-ready', () => r()));
});
