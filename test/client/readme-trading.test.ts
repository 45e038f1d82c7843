// The README's trading example, as written (through the package's own entry points), against the simulator.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { binance, maxNotional, priceBand, VenueError } from '../../src/index.js';
import { startSimulator, SIM_DEMO_ACCOUNT } from '../../src/testing/index.js';

test('the README trading example runs: risk checks, a post-only order, its updates, a cancel by client id, balances, positions', async () => {
  await using sim = await startSimulator({ symbols: ['BTC/USDT', 'BTC/USDT:USDT'] });
  await using ex = binance({ urls: sim.endpoints.binance, credentials: SIM_DEMO_ACCOUNT });
  ex.addRiskCheck(maxNotional('50000'));
  ex.addRiskCheck(priceBand('0.05'));

  const updates = ex.watchOrders('BTC/USDT');
  const order = await ex.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '63000.00', { postOnly: true });
  assert.equal(order.status, 'new');
  assert.ok(order.id !== undefined && order.clientOrderId !== undefined);
  await ex.cancelOrder({ clientOrderId: order.clientOrderId }, 'BTC/USDT');
  const seen: string[] = [];
  for await (const o of updates) {
    seen.push(o.status);
    if (o.status === 'cancelled') break;
  }
  assert.deepEqual(seen, ['pending-new', 'new', 'pending-cancel', 'cancelled']);
  const balance = await ex.fetchBalance();
  assert.ok(balance.balances['USDT']?.free.eq(SIM_DEMO_ACCOUNT.balances?.['USDT'] ?? ''), 'nothing traded, nothing locked');
  const positions = await ex.fetchPositions(['BTC/USDT:USDT']);
  assert.deepEqual(positions, []);
  // The risk checks refuse locally.
  await assert.rejects(ex.createOrder('BTC/USDT', 'limit', 'buy', '1', '63000.00'), (e: unknown) => e instanceof VenueError && /max notional/.test(e.message));
  await assert.rejects(ex.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '50000.00'), (e: unknown) => e instanceof VenueError && /price band/.test(e.message));
  assert.equal(sim.tradingOf('binance').orders(SIM_DEMO_ACCOUNT.apiKey).length, 1);
});
