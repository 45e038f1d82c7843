/**
 * ccxt as an independent client of the Bybit front end: ccxt.pro bybit loads every category's markets and
 * watches books (linear depth 50 and 1000, spot 50), trades and tickers without errors, and the book it
 * builds equals the simulator's truth top N once the market pauses.
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
  bids: Side;
  asks: Side;
}
interface CcxtExchange {
  urls: { api: unknown };
  orderbooks: Record<string, CcxtBook | undefined>;
  markets: Record<string, { precision: { price?: number; amount?: number }; type: string; inverse?: boolean }>;
  loadHttpProxyAgent(): Promise<unknown>;
  loadMarkets(): Promise<unknown>;
  watchOrderBook(symbol: string, limit?: number): Promise<CcxtBook>;
  watchTrades(symbol: string): Promise<Array<{ price: number; amount: number; id: string; side: string }>>;
  watchTicker(symbol: string): Promise<{ last?: number; symbol: string; bid?: number }>;
  close(): Promise<void>;
}

const localize = (node: unknown, hostPort: string): unknown => localizeCcxtUrls(node, () => hostPort);

/** Compares ccxt's float levels with the truth exactly, through their shortest decimal form. */
function sameLevels(sim: Simulator, symbol: string, side: 'bids' | 'asks', ccxtSide: Side, depth: number): string | undefined {
  const market = sim.marketOf('bybit');
  const inst = market.instrument(symbol);
  const truth = market.book(symbol).side(side).top(depth);
  if (ccxtSide.length !== truth.length) return `${side}: ccxt holds ${ccxtSide.length}, truth ${truth.length}`;
  for (let i = 0; i < truth.length; i++) {
    const [p, q] = truth[i] as [number, number];
    const [cp, cq] = ccxtSide[i] as [number, number];
    if (!Decimal.from(String(cp)).eq(formatUnits(p, inst.priceScale, inst.priceScale)) || !Decimal.from(String(cq)).eq(formatUnits(q, inst.qtyScale, inst.qtyScale))) return `${side}[${i}] ${cp}/${cq} vs ${p}/${q}`;
  }
  return undefined;
}

/** Watches a few updates, pauses the market and waits until ccxt's book equals the truth's top `limit`. */
async function bookMatchesTruth(sim: Simulator, ex: CcxtExchange, symbol: string, limit: number): Promise<void> {
  const first = await ex.watchOrderBook(symbol, limit);
  assert.ok(first.bids.length > 0 && first.asks.length > 0);
  for (let i = 0; i < 3; i++) await ex.watchOrderBook(symbol, limit);
  const market = sim.marketOf('bybit');
  market.stop();
  try {
    let problem: string | undefined;
    await waitFor(() => {
      const book = ex.orderbooks[symbol];
      problem = book === undefined ? 'no book' : (sameLevels(sim, symbol, 'bids', book.bids, limit) ?? sameLevels(sim, symbol, 'asks', book.asks, limit));
      return problem === undefined;
    }, `ccxt ${symbol} ${limit} equals the truth (${problem ?? ''})`);
  } finally {
    market.start(20);
  }
}

describe('ccxt.pro bybit against the simulator', () => {
  let sim: Simulator;
  let ex: CcxtExchange;
  before(async () => {
    sim = await startSimulator({ seed: 33, tickMs: 20, depth: 1200, symbols: 2 });
    const Bybit = (ccxt as unknown as { pro: { bybit: new (config: object) => CcxtExchange } }).pro.bybit;
    ex = new Bybit({});
    ex.urls.api = localize(ex.urls.api, new URL((sim.endpoints.bybit as { rest: string }).rest).host);
    await ex.loadHttpProxyAgent(); // needed for plain ws:// URLs
    await ex.loadMarkets();
  });
  after(async () => {
    await ex.close();
    await sim.close();
  });

  test('loads spot, linear, inverse and dated markets from instruments-info with their precision', () => {
    assert.equal(ex.markets['BTC/USDT']?.precision.price, 0.01);
    assert.equal(ex.markets['BTC/USDT:USDT']?.precision.price, 0.1);
    assert.equal(ex.markets['BTC/USD:BTC']?.inverse, true);
    assert.ok(Object.keys(ex.markets).some((s) => /^BTC\/USDT:USDT-\d{6}$/.test(s)), 'a dated linear future');
    assert.ok(Object.keys(ex.markets).some((s) => s === 'BTC/USDC:USDC'), 'a USDC perpetual');
  });

  test('linear: books of depth 50 and 1000 equal the truth top N; trades and tickers arrive', async () => {
    await bookMatchesTruth(sim, ex, 'BTC/USDT:USDT', 50);
    await bookMatchesTruth(sim, ex, 'ETH/USDT:USDT', 1000);
    const trades = await ex.watchTrades('BTC/USDT:USDT');
    assert.ok(trades.length > 0 && trades.every((t) => t.price > 0 && t.amount > 0));
    const ticker = await ex.watchTicker('BTC/USDT:USDT');
    assert.equal(ticker.symbol, 'BTC/USDT:USDT');
    assert.ok((ticker.last ?? 0) > 0);
  });

  test('spot: a depth-50 book equals the truth top 50; trades and tickers arrive', async () => {
    await bookMatchesTruth(sim, ex, 'BTC/USDT', 50);
    const trades = await ex.watchTrades('BTC/USDT');
    assert.ok(trades.length > 0);
    const ticker = await ex.watchTicker('BTC/USDT');
    assert.ok((ticker.last ?? 0) > 0);
    assert.equal(sim.stats.listenerErrors, 0);
  });
});
