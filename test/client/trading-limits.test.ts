// Every limit a trading request draws from has a rule in the governor from the start (RESL-01, item 7): OKX's per-uid
// endpoint windows and Bybit's default order rates are static; Binance's ORDERS rules come with exchangeInfo.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Decimal } from '../../src/core/decimal.js';
import type { Market } from '../../src/core/model.js';
import type { TradingAdapter } from '../../src/core/trading.js';
import type { RestRequest } from '../../src/core/venue.js';
import { createBybitMarketData } from '../../src/exchanges/bybit/market-data.js';
import { createBybitTrading } from '../../src/exchanges/bybit/trading.js';
import { BYBIT_MAINNET } from '../../src/exchanges/bybit/config.js';
import { createOkxMarketData } from '../../src/exchanges/okx/market-data.js';
import { createOkxTrading } from '../../src/exchanges/okx/trading.js';
import { OKX_PRODUCTION } from '../../src/exchanges/okx/config.js';

function market(venue: Market['venue'], id: string, segment: string, type: Market['type']): Market {
  return {
    symbol: type === 'spot' ? 'BTC/USDT' : 'BTC/USDT:USDT', id, venue, type, segment, base: 'BTC', quote: 'USDT', status: 'active', venueStatus: 'live',
    ...(type === 'spot' ? {} : { settle: 'USDT', linear: true, contractSize: Decimal.ONE }),
    tickSize: Decimal.from('0.1'), stepSize: Decimal.from('0.001'), precision: { price: 1, amount: 3 },
  };
}

function requestsOf(t: TradingAdapter, m: Market): RestRequest[] {
  const order = { symbol: m.symbol, side: 'buy' as const, type: 'limit' as const, amount: Decimal.from('0.01'), price: Decimal.from('60000') };
  return [
    t.createOrderRequest(m, order, 'vk1'),
    t.cancelOrderRequest(m, { id: '1' }),
    t.fetchOrderRequest(m, { clientOrderId: 'vk1' }),
    t.openOrdersRequest(m),
    t.myTradesRequest(m, {}),
    ...t.accounts.map((a) => t.balanceRequest(a)),
    ...t.positionSegments.map((s) => t.positionsRequest(s)),
  ];
}

test('OKX: every trading cost names a limit the governor knows before the first response', () => {
  const t = createOkxTrading({ urls: OKX_PRODUCTION });
  const rules = new Set([...(createOkxMarketData().staticRateLimits ?? []), ...(t.staticRateLimits ?? [])].map((r) => r.limit));
  for (const m of [market('okx', 'BTC-USDT', 'SPOT', 'spot'), market('okx', 'BTC-USDT-SWAP', 'SWAP', 'swap')]) {
    for (const r of requestsOf(t, m)) for (const c of r.costs) assert.ok(rules.has(c.limit), `${r.method} ${r.path} draws from ${c.limit}, which has no rule`);
  }
  const place = requestsOf(t, market('okx', 'BTC-USDT', 'SPOT', 'spot'))[0] as RestRequest;
  assert.equal(place.command, true);
});

test('Bybit: order placement and cancel draw from default order-rate rules per category', () => {
  const t = createBybitTrading({ urls: BYBIT_MAINNET });
  const rules = new Map([...(createBybitMarketData().staticRateLimits ?? []), ...(t.staticRateLimits ?? [])].map((r) => [r.limit, r]));
  for (const [m, perSecond] of [[market('bybit', 'BTCUSDT', 'spot', 'spot'), 20], [market('bybit', 'BTCUSDT', 'linear', 'swap'), 10]] as const) {
    const [place, cancel] = requestsOf(t, m) as [RestRequest, RestRequest];
    for (const r of [place, cancel]) {
      const endpoint = r.costs.find((c) => rules.get(c.limit)?.windowMs === 1000);
      assert.ok(endpoint !== undefined, `${r.path} (${m.segment}) has no order-rate rule`);
      assert.equal(rules.get(endpoint.limit)?.max, perSecond);
    }
  }
});
