/**
 * ccxt (4.5.84) as an independent signed client of the Bybit trading front end: it places a resting limit order,
 * fetches it, cancels it and fetches the UNIFIED balance, with its own v5 signing and response parsing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ccxt from 'ccxt';
import type { Simulator } from '../../../src/testing/index.js';
import { KEY, SECRET, quotes, restBase, startBybitSim } from './bybit-trading-helpers.js';
import { localizeCcxtUrls } from '../../helpers/ccxt-urls.js';

interface CcxtOrder {
  id: string;
  status: string;
  symbol: string;
  side: string;
  price: number;
  amount: number;
  filled: number;
  clientOrderId?: string;
}
interface CcxtBybit {
  urls: { api: unknown };
  apiKey: string;
  secret: string;
  options: Record<string, unknown>;
  loadMarkets(): Promise<unknown>;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: object): Promise<CcxtOrder>;
  fetchOpenOrder(id: string, symbol: string): Promise<CcxtOrder>;
  fetchOpenOrders(symbol: string): Promise<CcxtOrder[]>;
  cancelOrder(id: string, symbol: string): Promise<CcxtOrder>;
  fetchBalance(): Promise<Record<string, { free?: number; used?: number; total?: number } | undefined>>;
}

const localize = (node: unknown, hostPort: string): unknown => localizeCcxtUrls(node, () => hostPort);

describe('ccxt bybit trading against the simulator', () => {
  let sim: Simulator;
  let ex: CcxtBybit;
  before(async () => {
    sim = await startBybitSim();
    const Bybit = (ccxt as unknown as { bybit: new (config: object) => CcxtBybit }).bybit;
    // Unified account declared up front, so ccxt does not probe /v5/user/query-api; markets load before the keys are set.
    ex = new Bybit({ options: { enableUnifiedAccount: true, enableUnifiedMargin: false } });
    ex.urls.api = localize(ex.urls.api, new URL(restBase(sim)).host);
    await ex.loadMarkets();
    ex.apiKey = KEY;
    ex.secret = SECRET;
  });
  after(() => sim.close());

  test('places a resting limit order, fetches it, cancels it, and fetches the balance', async () => {
    const q = quotes(sim, 'BTC/USDT:USDT');
    const price = Number(q.price(q.bid - 40 * q.tick));
    const amount = Number(q.qty(q.minQty));
    const placed = await ex.createOrder('BTC/USDT:USDT', 'limit', 'buy', amount, price, { clientOrderId: 'ccxt-1' });
    assert.ok(typeof placed.id === 'string' && placed.id !== '');
    assert.equal(sim.tradingOf('bybit').openOrders(KEY, 'BTC/USDT:USDT').length, 1);

    const fetched = await ex.fetchOpenOrder(placed.id, 'BTC/USDT:USDT');
    assert.equal(fetched.id, placed.id);
    assert.equal(fetched.status, 'open');
    assert.equal(fetched.side, 'buy');
    assert.equal(fetched.price, price);
    assert.equal(fetched.amount, amount);
    assert.equal(fetched.filled, 0);
    assert.equal(fetched.clientOrderId, 'ccxt-1');
    const open = await ex.fetchOpenOrders('BTC/USDT:USDT');
    assert.deepEqual(open.map((o) => o.id), [placed.id]);

    const cancelled = await ex.cancelOrder(placed.id, 'BTC/USDT:USDT');
    assert.equal(cancelled.id, placed.id);
    assert.equal(sim.tradingOf('bybit').openOrders(KEY, 'BTC/USDT:USDT').length, 0);
    assert.equal(sim.tradingOf('bybit').order(KEY, 'BTC/USDT:USDT', { orderId: placed.id })?.status, 'cancelled');

    const balance = await ex.fetchBalance();
    const usdt = balance['USDT'];
    assert.ok(usdt !== undefined && (usdt.total ?? 0) > 0, 'USDT listed');
    const truth = sim.tradingOf('bybit').balances(KEY).find((b) => b.currency === 'USDT');
    assert.ok(truth !== undefined);
    assert.equal(usdt.total, Number(truth.free.add(truth.locked).toString()));
    assert.ok((balance['BTC']?.total ?? 0) > 0, 'BTC listed');
  });
});
