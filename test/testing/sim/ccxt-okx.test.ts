/**
 * ccxt as an independent client of the OKX front end: ccxt.pro okx loads every market type (SPOT, FUTURES,
 * SWAP, OPTION) and watches books (400), trades and tickers on spot and swap without errors; its book equals
 * the market's true top 400 once the stream caught up with a paused market.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ccxt from 'ccxt';
import { Decimal, formatScaled } from '../../../src/core/decimal.js';
import { SimFaults } from '../../../src/testing/sim/faults.js';
import { Market } from '../../../src/testing/sim/market.js';
import { OkxFrontEnd, okxCatalogue } from '../../../src/testing/sim/okx/okx-front-end.js';
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
  markets: Record<string, { type: string; contractSize?: number; precision: { price?: number; amount?: number } }>;
  loadHttpProxyAgent(): Promise<unknown>;
  loadMarkets(): Promise<unknown>;
  watchOrderBook(symbol: string, limit?: number): Promise<CcxtBook>;
  watchTrades(symbol: string): Promise<Array<{ price: number; amount: number; id: string; side: string }>>;
  watchTicker(symbol: string): Promise<{ last?: number; symbol: string }>;
  close(): Promise<void>;
}

const localize = (node: unknown, hostPort: string): unknown => localizeCcxtUrls(node, () => hostPort);

function assertSameLevels(market: Market, symbol: string, side: 'bids' | 'asks', ccxtSide: Side): void {
  const inst = market.instrument(symbol);
  const truth = market.snapshot(symbol, 400)[side];
  assert.equal(ccxtSide.length, truth.length, `ccxt holds ${ccxtSide.length} ${side}`);
  truth.forEach(([p, q], i) => {
    const [cp, cq] = ccxtSide[i] as [number, number];
    assert.ok(Decimal.from(String(cp)).eq(formatScaled(p, inst.priceScale)), `${side}[${i}] price ${cp} vs ${p}`);
    assert.ok(Decimal.from(String(cq)).eq(formatScaled(q, inst.qtyScale)), `${side}[${i}] size ${cq} vs ${q}`);
  });
}

describe('ccxt.pro okx against the OKX front end', () => {
  let market: Market;
  let fe: OkxFrontEnd;
  let ex: CcxtExchange;
  before(async () => {
    market = new Market({ seed: 41, depth: 600, symbols: ['BTC/USDT', 'ETH/USDT', 'BTC/USDT:USDT', 'BTC/USD:BTC'], catalogue: okxCatalogue(Date.now()), tickMs: 20 });
    fe = await OkxFrontEnd.start({ market, faults: new SimFaults(), booksIntervalMs: 50 });
    const Okx = (ccxt as unknown as { pro: { okx: new (config: object) => CcxtExchange } }).pro.okx;
    ex = new Okx({});
    ex.urls.api = localize(ex.urls.api, new URL(fe.endpoints.rest).host);
    await ex.loadHttpProxyAgent(); // needed for plain ws:// URLs
    await ex.loadMarkets();
  });
  after(async () => {
    await ex.close();
    market.close();
    await fe.close();
  });

  async function bookMatchesTruth(symbol: string): Promise<void> {
    const first = await ex.watchOrderBook(symbol, 400);
    assert.equal(first.bids.length, 400);
    for (let i = 0; i < 3; i++) await ex.watchOrderBook(symbol, 400);
    market.stop();
    try {
      fe.streams.flushBooks();
      const target = fe.streams.feed(fe.instrument(symbol)).windowSeqId;
      const book = await waitFor(() => (ex.orderbooks[symbol]?.nonce === target ? ex.orderbooks[symbol] : undefined), `ccxt nonce ${target}`);
      assertSameLevels(market, symbol, 'bids', book.bids);
      assertSameLevels(market, symbol, 'asks', book.asks);
    } finally {
      market.start(20);
    }
  }

  test('loads spot, swap (linear and inverse) markets with OKX precision and contract sizes', () => {
    assert.equal(ex.markets['BTC/USDT']?.precision.price, 0.01);
    assert.equal(ex.markets['BTC/USDT:USDT']?.type, 'swap');
    assert.equal(ex.markets['BTC/USD:BTC']?.type, 'swap');
    assert.equal(ex.markets['BTC/USD:BTC']?.contractSize, 100);
  });

  test('spot: watches the 400-level book, trades and ticker; the book equals the truth after updates', async () => {
    await bookMatchesTruth('BTC/USDT');
    const trades = await ex.watchTrades('BTC/USDT');
    assert.ok(trades.length > 0 && trades.every((t) => t.price > 0 && t.amount > 0));
    const ticker = await ex.watchTicker('BTC/USDT');
    assert.equal(ticker.symbol, 'BTC/USDT');
    assert.ok((ticker.last ?? 0) > 0);
  });

  test('swap: watches the 400-level book, trades and ticker; the book equals the truth after updates', async () => {
    await bookMatchesTruth('BTC/USDT:USDT');
    const trades = await ex.watchTrades('BTC/USDT:USDT');
    assert.ok(trades.length > 0);
    const ticker = await ex.watchTicker('BTC/USDT:USDT');
    assert.ok((ticker.last ?? 0) > 0);
    assert.equal(market.listenerErrors, 0);
  });
});
