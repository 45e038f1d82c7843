/**
 * ccxt as an independent client of the simulator: ccxt.pro binance loads markets and watches books, trades
 * and tickers on spot and USD-M (ccxt 4.5.84 routes USD-M streams to the 2026 `/public` and `/market`
 * roots by itself), and the book it builds equals the simulator's truth at ccxt's nonce.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ccxt from 'ccxt';
import { Decimal } from '../../../src/core/decimal.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { formatUnits } from '../../../src/testing/sim/binance/wire-format.js';
import { waitFor } from '../../helpers/wait.js';
import { localizeCcxtUrls } from '../../helpers/ccxt-urls.js';

type Side = Array<[number, number]>;
interface CcxtBook {
  nonce?: number;
  bids: Side;
  asks: Side;
}
interface CcxtExchange {
  urls: { api: unknown };
  orderbooks: Record<string, CcxtBook | undefined>;
  markets: Record<string, { precision: { price?: number; amount?: number } }>;
  loadHttpProxyAgent(): Promise<unknown>;
  loadMarkets(): Promise<unknown>;
  watchOrderBook(symbol: string, limit?: number): Promise<CcxtBook>;
  watchTrades(symbol: string): Promise<Array<{ price: number; amount: number; id: string; side: string }>>;
  watchTicker(symbol: string): Promise<{ last?: number; symbol: string }>;
  close(): Promise<void>;
}

/** ccxt's URLs at the simulator: USD-M hosts (`fapi`, `fstream`) to the USD-M front end, the rest to spot. */
const localize = (node: unknown, sim: Simulator): unknown =>
  localizeCcxtUrls(node, (host) => new URL((/^(fapi|fstream)\./.test(host) ? sim.endpoints.binance.usdm : sim.endpoints.binance.spot).rest).host);

async function client(sim: Simulator, type: 'spot' | 'linear'): Promise<CcxtExchange> {
  const Binance = (ccxt as unknown as { pro: { binance: new (config: object) => CcxtExchange } }).pro.binance;
  const ex = new Binance({ options: { fetchMarkets: { types: [type] } } });
  ex.urls.api = localize(ex.urls.api, sim);
  await ex.loadHttpProxyAgent(); // needed for plain ws:// URLs
  await ex.loadMarkets();
  return ex;
}

/** Compares ccxt's float levels with the truth, exactly, through their shortest decimal form. */
function assertSameLevels(sim: Simulator, symbol: string, side: 'bids' | 'asks', ccxtSide: Side, depth: number): void {
  const inst = sim.market.instrument(symbol);
  const truth = sim.market.book(symbol).side(side).top(depth);
  assert.equal(ccxtSide.length >= depth, true, `ccxt holds ${ccxtSide.length} ${side}`);
  truth.forEach(([p, q], i) => {
    const [cp, cq] = ccxtSide[i] as [number, number];
    assert.ok(Decimal.from(String(cp)).eq(formatUnits(p, inst.priceScale, inst.priceScale)), `${side}[${i}] price ${cp} vs ${p}`);
    assert.ok(Decimal.from(String(cq)).eq(formatUnits(q, inst.qtyScale, inst.qtyScale)), `${side}[${i}] size ${cq} vs ${q}`);
  });
}

async function bookMatchesTruth(sim: Simulator, ex: CcxtExchange, symbol: string, limit: number): Promise<void> {
  const first = await ex.watchOrderBook(symbol, limit);
  assert.equal(first.bids.length, limit);
  for (let i = 0; i < 3; i++) await ex.watchOrderBook(symbol, limit);
  sim.market.stop();
  try {
    const target = sim.market.book(symbol).updateId;
    const book = await waitFor(() => (ex.orderbooks[symbol]?.nonce === target ? ex.orderbooks[symbol] : undefined), `ccxt nonce ${target}`);
    assertSameLevels(sim, symbol, 'bids', book.bids, 200);
    assertSameLevels(sim, symbol, 'asks', book.asks, 200);
  } finally {
    sim.market.start(20);
  }
}

describe('ccxt.pro binance against the simulator', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ seed: 31, tickMs: 20, depth: 1000, symbols: 3 });
  });
  after(() => sim.close());

  test('spot: loads markets, watches the book, trades and ticker, and its book equals the truth at its nonce', async () => {
    const ex = await client(sim, 'spot');
    try {
      assert.deepEqual(ex.markets['BTC/USDT']?.precision.price, 0.01);
      await bookMatchesTruth(sim, ex, 'BTC/USDT', 1000);
      const trades = await ex.watchTrades('BTC/USDT');
      assert.ok(trades.length > 0 && trades.every((t) => t.price > 0 && t.amount > 0));
      const ticker = await ex.watchTicker('BTC/USDT');
      assert.equal(ticker.symbol, 'BTC/USDT');
      assert.ok((ticker.last ?? 0) > 0);
    } finally {
      await ex.close();
    }
  });

  test('USD-M: ccxt uses the /public and /market roots and its book equals the truth at its nonce', async () => {
    const ex = await client(sim, 'linear');
    try {
      await bookMatchesTruth(sim, ex, 'BTC/USDT:USDT', 1000);
      const trades = await ex.watchTrades('BTC/USDT:USDT');
      assert.ok(trades.length > 0);
      const ticker = await ex.watchTicker('BTC/USDT:USDT');
      assert.ok((ticker.last ?? 0) > 0);
      const usdm = sim.frontEnd('binance', 'usdm');
      const roots = [...new Set([...usdm.streams.connections].map((c) => c.root))].sort();
      assert.deepEqual(roots, ['market', 'public']);
    } finally {
      await ex.close();
    }
  });
});
