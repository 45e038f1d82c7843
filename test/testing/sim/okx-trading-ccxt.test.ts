/**
 * ccxt (4.5.84) as an independent client of the OKX front end's signed trading REST: it signs with its own code,
 * places a resting limit order, fetches it, cancels it and fetches the balance, and the engine agrees.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ccxt from 'ccxt';
import { formatScaled } from '../../../src/core/decimal.js';
import { SimFaults } from '../../../src/testing/sim/faults.js';
import { Market } from '../../../src/testing/sim/market.js';
import { OkxFrontEnd, okxCatalogue } from '../../../src/testing/sim/okx/okx-front-end.js';
import { SIM_DEMO_ACCOUNT } from '../../../src/testing/sim/server.js';
import { SimTradingEngine } from '../../../src/testing/sim/trading/engine.js';
import { TradingFaults } from '../../../src/testing/sim/trading/trading-faults.js';
import { localizeCcxtUrls } from '../../helpers/ccxt-urls.js';

interface CcxtOrder {
  id: string;
  status: string;
  price: number;
  amount: number;
  filled: number;
  side: string;
}
interface CcxtExchange {
  urls: { api: unknown };
  has: Record<string, unknown>;
  loadMarkets(): Promise<unknown>;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number): Promise<CcxtOrder>;
  fetchOrder(id: string, symbol: string): Promise<CcxtOrder>;
  cancelOrder(id: string, symbol: string): Promise<CcxtOrder>;
  fetchBalance(): Promise<Record<string, { free?: number; used?: number; total?: number }>>;
  close?(): Promise<void>;
}

const localize = (node: unknown, hostPort: string): unknown => localizeCcxtUrls(node, () => hostPort);

describe('ccxt okx trading against the OKX front end', () => {
  let market: Market;
  let engine: SimTradingEngine;
  let fe: OkxFrontEnd;
  let ex: CcxtExchange;
  before(async () => {
    market = new Market({ seed: 23, depth: 200, symbols: ['BTC/USDT', 'BTC/USDT:USDT'], catalogue: okxCatalogue(Date.now()), tickMs: 0 });
    const faults = new SimFaults();
    engine = new SimTradingEngine({ market, now: () => faults.now() });
    engine.addAccount(SIM_DEMO_ACCOUNT);
    fe = await OkxFrontEnd.start({ market, faults, trading: engine, tradingFaults: new TradingFaults() });
    const Okx = (ccxt as unknown as { okx: new (config: object) => CcxtExchange }).okx;
    ex = new Okx({ apiKey: SIM_DEMO_ACCOUNT.apiKey, secret: SIM_DEMO_ACCOUNT.secret, password: SIM_DEMO_ACCOUNT.passphrase, options: { createOrder: 'privatePostTradeOrder' } }); // ccxt's default is /trade/batch-orders
    ex.urls.api = localize(ex.urls.api, new URL(fe.endpoints.rest).host);
    ex.has['fetchCurrencies'] = false; // /api/v5/asset/currencies is not simulated
    await ex.loadMarkets();
  });
  after(async () => {
    await ex.close?.();
    engine.close();
    market.close();
    await fe.close();
  });

  test('createOrder (limit, resting) -> fetchOrder open -> cancelOrder -> fetchOrder canceled; fetchBalance matches the engine', async () => {
    const inst = market.instrument('BTC/USDT');
    const bid = (market.book('BTC/USDT').bids.top(1)[0] as [number, number])[0];
    const price = formatScaled(bid - 50 * inst.tickUnits, inst.priceScale);
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.002, Number(price));
    assert.match(placed.id, /^\d+$/);
    const open = await ex.fetchOrder(placed.id, 'BTC/USDT');
    assert.deepEqual([open.status, open.side, open.amount, open.filled], ['open', 'buy', 0.002, 0]);
    assert.equal(String(open.price), price.replace(/\.?0+$/, ''));
    assert.equal(engine.openOrders(SIM_DEMO_ACCOUNT.apiKey, 'BTC/USDT').length, 1);

    await ex.cancelOrder(placed.id, 'BTC/USDT');
    const closed = await ex.fetchOrder(placed.id, 'BTC/USDT');
    assert.equal(closed.status, 'canceled');
    assert.equal(engine.openOrders(SIM_DEMO_ACCOUNT.apiKey, 'BTC/USDT').length, 0);

    const balance = await ex.fetchBalance();
    const usdt = engine.balances(SIM_DEMO_ACCOUNT.apiKey).find((b) => b.currency === 'USDT');
    assert.ok(usdt !== undefined);
    assert.equal(String(balance['USDT']?.free), usdt.free.normalize().toString());
    assert.equal(String(balance['BTC']?.total), '10');
  });
});
