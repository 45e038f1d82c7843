/**
 * OKX parsers accept what they do not know (issue 9, item 3). Each payload is a real recorded or documented
 * frame, MUTATED by the test to carry one odd value: an `ordType` or `state` OKX may add later, an unreadable
 * fill price, liquidity flag or time, an unreadable balance detail, an unknown margin mode, one unreadable row
 * among good ones. Values pass through (raw value kept) or are left out, each noted naming the field; a fill is
 * never lost with its order report; the rest of the push stands.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { VenueError } from '../../../src/core/errors.js';
import type { DecodeProblem } from '../../../src/core/problems.js';
import type { MarketResolver, PrivateEvent } from '../../../src/core/trading.js';
import { OKX_PRODUCTION } from '../../../src/exchanges/okx/config.js';
import { createOkxTrading } from '../../../src/exchanges/okx/trading.js';
import { fixtureText } from '../../helpers/wait.js';
import { tradingMarket } from './trading-markets.js';

const MARKETS = [tradingMarket('BTC/USDT', 'BTC-USDT', 'SPOT'), tradingMarket('ETH/USD:ETH-210430', 'ETH-USD-210430', 'FUTURES'), tradingMarket('BTC/USD:BTC', 'BTC-USD-SWAP', 'SWAP')];
const resolve: MarketResolver = (id, segment) => MARKETS.find((m) => m.id === id && (segment === undefined || m.segment === segment));
const okx = createOkxTrading({ urls: OKX_PRODUCTION });
const AT = 1_800_000_000_000;

type Push = { arg: Record<string, unknown>; data: Array<Record<string, unknown>> } & Record<string, unknown>;
const push = (name: string): Push => JSON.parse(fixtureText(`okx/ws/${name}`)) as Push;
const withRows = (p: Push, ...rows: Array<Record<string, unknown>>): Push => ({ ...p, data: rows });
const parse = (p: unknown): PrivateEvent[] => okx.privateStream.parseEvents('private', p, resolve, AT);
const fields = (problems: readonly DecodeProblem[] | undefined): string[] => (problems ?? []).map((p) => p.field);

function onlyReport(events: PrivateEvent[]) {
  assert.deepEqual(events.map((e) => e.kind), ['order']);
  const [e] = events;
  return e?.kind === 'order' ? e.report : assert.fail('an order event');
}

test('an ordType and a state added later pass through, noted, and the fill the push carries is kept', () => {
  const orders = push('orders-push.json');
  const report = onlyReport(parse(withRows(orders, { ...orders.data[0], ordType: 'elp_twap', state: 'settling' })));
  assert.equal(report.type, undefined);
  assert.equal(report.venueType, 'elp_twap');
  assert.equal(report.postOnly, undefined);
  assert.equal(report.status, 'partially-filled', 'what accFillSz proves');
  assert.equal(report.venueStatus, 'settling');
  assert.deepEqual(fields(report.problems), ['data[0].state', 'data[0].ordType']);
  assert.equal(report.problems?.[1]?.value, '"elp_twap"');
  assert.equal(report.fill?.tradeId, '242589207');
  assert.equal(report.fill?.amount.toString(), '0.001');
});

test('a fill whose price cannot be read is no fill, noted; an unknown liquidity flag and time are left out, noted', () => {
  const orders = push('orders-push.json');
  const noPrice = onlyReport(parse(withRows(orders, { ...orders.data[0], fillPx: 'market' })));
  assert.equal(noPrice.fill, undefined);
  assert.deepEqual(fields(noPrice.problems), ['data[0].fillPx']);
  const odd = onlyReport(parse(withRows(orders, { ...orders.data[0], execType: 'R', fillTime: 'later' })));
  assert.equal(odd.fill?.liquidity, undefined);
  assert.equal(odd.fill?.exchangeTime, Number(orders.data[0]?.['uTime']), 'the order time instead');
  assert.deepEqual(fields(odd.problems), ['data[0].execType', 'data[0].fillTime']);
});

test('one unreadable row among good ones is a problem; a push of nothing readable is a decode error', () => {
  const orders = push('orders-push.json');
  const [row] = orders.data;
  const events = parse(withRows(orders, { ...row, side: 'BUY' }, { ...row, ordId: '452197707845865473' }));
  assert.deepEqual(events.map((e) => e.kind), ['order', 'problem']);
  assert.equal(events[1]?.kind === 'problem' ? events[1].problem.field : '', 'data[0]');
  assert.throws(() => parse(withRows(orders, { ...row, side: 'BUY' })), (e: unknown) => VenueError.is(e, 'decode'));
});

test('account push: an unreadable currency is left out, noted; the others stand', () => {
  const account = push('account-push.json');
  const [row] = account.data;
  const details = (row?.['details'] ?? []) as Array<Record<string, unknown>>;
  const mutated = { ...account, eventType: 'event_update', data: [{ ...row, details: [{ ...details[0], availBal: '?' }, { ...details[0], ccy: 'BTC' }] }] };
  const events = parse(mutated);
  const b = events[0]?.kind === 'balance' ? events[0].balances : assert.fail('a balance event');
  assert.deepEqual(Object.keys(b.balances), ['BTC']);
  assert.deepEqual(fields(b.problems), ['data[0].details[0]']);
});

test('positions: an unknown margin mode is left out, noted', () => {
  const positions = push('positions-push.json');
  const events = parse(withRows(positions, { ...positions.data[0], mgnMode: 'portfolio' }));
  const p = events[0]?.kind === 'position' ? events[0].position : assert.fail('a position event');
  assert.equal(p.marginMode, undefined);
  assert.deepEqual(fields(p.problems), ['data[0].mgnMode']);
});

test('REST order details: an unknown state and type pass through; the report stands', () => {
  const body = JSON.parse(fixtureText('okx/rest/trade-order-details.json')) as { data: Array<Record<string, unknown>> } & Record<string, unknown>;
  const row = body.data[0] ?? {};
  const market = MARKETS.find((m) => m.id === row['instId']) ?? tradingMarket('OKB/USDT', String(row['instId']), 'SPOT');
  const report = okx.parseOrder({ ...body, data: [{ ...row, state: 'frozen', ordType: 'chase' }] }, market, AT);
  assert.deepEqual([report.venueStatus, report.venueType, fields(report.problems)], ['frozen', 'chase', ['data[0].state', 'data[0].ordType']]);
});
