/**
 * ccxt as an independent client of the simulator's Binance trading endpoints: with the demo account's key it places,
 * fetches and cancels an order and fetches the balance on spot and USD-M (ccxt signs and parses on its own).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ccxt from 'ccxt';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { KEY, SECRET, touch } from './binance-trading-helpers.js';
import { localizeCcxtUrls } from '../../helpers/ccxt-urls.js';

interface CcxtOrder {
  id: string;
  clientOrderId?: string;
  status: string;
  price?: number;
  amount?: number;
  filled?: number;
  symbol: string;
}
interface CcxtExchange {
  urls: { api: unknown };
  loadMarkets(): Promise<unknown>;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: object): Promise<CcxtOrder>;
  fetchOrder(id: string, symbol: string): Promise<CcxtOrder>;
  fetchOpenOrders(symbol: string): Promise<CcxtOrder[]>;
  cancelOrder(id: string, symbol: string): Promise<CcxtOrder>;
  fetchBalance(): Promise<Record<string, { free?: number; used?: number; total?: number } | undefined>>;
  close(): Promise<void>;
}

/** ccxt's URLs at the simulator: USD-M hosts (`fapi`, `fstream`) to the USD-M front end, the rest to spot. */
const localize = (node: unknown, sim: Simulator): unknown =>
  localizeCcxtUrls(node, (host) => new URL((/^(fapi|fstream)\./.test(host) ? sim.endpoints.binance.usdm : sim.endpoints.binance.spot).rest).host);

async function client(sim: Simulator, type: 'spot' | 'linear'): Promise<CcxtExchange> {
  const Binance = (ccxt as unknown as { binance: new (config: object) => CcxtExchange }).binance;
  const ex = new Binance({ apiKey: KEY, secret: SECRET, options: { defaultType: type === 'spot' ? 'spot' : 'future', fetchMarkets: { types: [type] }, fetchCurrencies: false, fetchMargins: false, adjustForTimeDifference: false } });
  ex.urls.api = localize(ex.urls.api, sim);
  await ex.loadMarkets();
  return ex;
}

describe('ccxt binance trading against the simulator', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ seed: 41, tickMs: 0, depth: 50, symbols: 2, venues: ['binance'] });
  });
  after(() => sim.close());

  test('spot: createOrder (resting limit), fetchOrder, fetchOpenOrders, cancelOrder, fetchBalance', async () => {
    const ex = await client(sim, 'spot');
    try {
      const t = touch(sim, 'BTC/USDT');
      const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, Number(t.farBid));
      assert.equal(placed.status, 'open');
      const engineOrder = sim.tradingOf('binance').order(KEY, 'BTC/USDT', { orderId: placed.id });
      assert.equal(engineOrder?.status, 'new');
      const fetched = await ex.fetchOrder(placed.id, 'BTC/USDT');
      assert.deepEqual([fetched.id, fetched.status, fetched.amount, fetched.price], [placed.id, 'open', 0.001, Number(t.farBid)]);
      assert.ok((await ex.fetchOpenOrders('BTC/USDT')).some((o) => o.id === placed.id));
      const cancelled = await ex.cancelOrder(placed.id, 'BTC/USDT');
      assert.equal(cancelled.status, 'canceled');
      assert.equal(sim.tradingOf('binance').order(KEY, 'BTC/USDT', { orderId: placed.id })?.status, 'cancelled');
      const balance = await ex.fetchBalance();
      assert.equal(balance['BTC']?.total, 10);
      assert.ok((balance['USDT']?.free ?? 0) > 0);
    } finally {
      await ex.close();
    }
  });

  test('USD-M: createOrder market fills (the engine holds the position); limit fetch/cancel; fetchBalance', async () => {
    const ex = await client(sim, 'linear');
    try {
      const filled = await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002);
      const fetchedFill = await ex.fetchOrder(filled.id, 'BTC/USDT:USDT');
      assert.deepEqual([fetchedFill.status, fetchedFill.filled], ['closed', 0.002]);
      assert.equal(sim.tradingOf('binance').positions(KEY).find((p) => p.symbol === 'BTC/USDT:USDT')?.sizeUnits, 2);
      const t = touch(sim, 'BTC/USDT:USDT');
      const resting = await ex.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.001, Number(t.farBid));
      assert.equal((await ex.fetchOrder(resting.id, 'BTC/USDT:USDT')).status, 'open');
      assert.equal((await ex.cancelOrder(resting.id, 'BTC/USDT:USDT')).status, 'canceled');
      const balance = await ex.fetchBalance();
      assert.ok((balance['USDT']?.total ?? 0) > 0);
    } finally {
      await ex.close();
    }
  });
});
