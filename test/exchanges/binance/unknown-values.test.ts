/**
 * Binance parsers accept what they do not know (issue 9, item 3). Every payload here is a real recorded fixture,
 * MUTATED by the test to carry one odd value: the documented USD-M liquidation statuses NEW_ADL / NEW_INSURANCE,
 * a status, order type, time in force or execution type Binance may add later, an empty client order id, a
 * TRADE execution of quantity 0, unreadable rows. The value maps or passes through (raw value kept, a problem
 * noted naming the field); a fill is never lost with its report; nothing else of the payload is dropped.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import type { DecodeProblem } from '../../../src/core/problems.js';
import type { MarketResolver, PrivateEvent } from '../../../src/core/trading.js';
import { BINANCE_TESTNET } from '../../../src/exchanges/binance/config.js';
import { parseTicker } from '../../../src/exchanges/binance/parse.js';
import { createBinanceTrading } from '../../../src/exchanges/binance/trading.js';
import { fixtureLines, fixtureText } from '../../helpers/wait.js';
import { tradingMarket } from './trading-markets.js';

const RECEIVED = 1_700_000_000_000;
const LTC_SPOT = tradingMarket('spot', 'LTCBTC', 'LTC', 'BTC');
const XRP_PERP = tradingMarket('usdm', 'XRPUSDT', 'XRP', 'USDT');
const MARKETS = [tradingMarket('spot', 'BTCUSDT', 'BTC', 'USDT'), LTC_SPOT, tradingMarket('usdm', 'BTCUSDT', 'BTC', 'USDT'), tradingMarket('usdm', 'CHZUSDT', 'CHZ', 'USDT'), XRP_PERP];
const resolve: MarketResolver = (id, segment) => MARKETS.find((m) => m.id === id && m.segment === segment);
const adapter = createBinanceTrading({ urls: BINANCE_TESTNET });
const stream = adapter.privateStream;

type Fields = Record<string, unknown>;

/** The recorded USD-M ORDER_TRADE_UPDATE of a filled buy (x TRADE, t 5612428004), with `o` patched. */
function usdmFill(patch: Fields): Fields {
  const line = fixtureLines('binance/ws/usdm-user-open-close-recorded-2024-11.jsonl').find((l) => l.includes('"x":"TRADE"'));
  const event = parseJson(line ?? '') as { o: Fields };
  return { ...event, o: { ...event.o, ...patch } };
}

/** The recorded spot executionReport of a filled buy (x TRADE, t 726946523), patched. */
function spotFill(patch: Fields): Fields {
  const frame = parseJson(fixtureText('binance/ws/spot-user-execution-report-trade-filled-recorded-2021-03.json')) as { data: Fields };
  return { ...frame.data, ...patch };
}

function only<K extends PrivateEvent['kind']>(events: PrivateEvent[], kind: K): Extract<PrivateEvent, { kind: K }> {
  assert.deepEqual(events.map((e) => e.kind), [kind]);
  return events[0] as Extract<PrivateEvent, { kind: K }>;
}

const fields = (problems: readonly DecodeProblem[] | undefined): string[] => (problems ?? []).map((p) => p.field);

test('USD-M NEW_ADL and NEW_INSURANCE (documented liquidation statuses) map to new, keep the raw status and their fill', () => {
  for (const status of ['NEW_ADL', 'NEW_INSURANCE']) {
    const report = only(stream.parseEvents('usdm', usdmFill({ X: status, c: 'adl_autoclose' }), resolve, RECEIVED), 'order').report;
    assert.equal(report.status, 'new', status);
    assert.equal(report.venueStatus, status);
    assert.equal(report.problems, undefined, 'documented: no problem');
    assert.equal(report.fill?.tradeId, '5612428004');
    assert.equal(report.fill?.amount.toString(), '0.002');
    assert.equal(report.filled?.toString(), '0.002');
  }
});

test('USD-M: a status, order type and time in force added later pass through, noted; the fill stays', () => {
  const report = only(stream.parseEvents('usdm', usdmFill({ X: 'PARTIALLY_LIQUIDATED', o: 'SMART_LIMIT', f: 'GTE_GTC' }), resolve, RECEIVED), 'order').report;
  assert.equal(report.status, 'partially-filled', 'what the quantities prove (z = 0.002)');
  assert.equal(report.venueStatus, 'PARTIALLY_LIQUIDATED');
  assert.equal(report.type, undefined);
  assert.equal(report.venueType, 'SMART_LIMIT');
  assert.equal(report.timeInForce, undefined);
  assert.deepEqual(fields(report.problems), ['o.X', 'o.o', 'o.f']);
  assert.equal(report.problems?.[0]?.value, '"PARTIALLY_LIQUIDATED"');
  assert.equal(report.problems?.[0]?.venue, 'binance');
  assert.equal(report.fill?.tradeId, '5612428004');
});

test('USD-M: an execution type added later with a trade id and a quantity is a fill, noted; a trigger type passes through unnoted', () => {
  const report = only(stream.parseEvents('usdm', usdmFill({ x: 'TRADE_V2' }), resolve, RECEIVED), 'order').report;
  assert.equal(report.fill?.tradeId, '5612428004');
  assert.deepEqual(fields(report.problems), ['o.x']);
  const stop = only(stream.parseEvents('usdm', usdmFill({ o: 'STOP_MARKET' }), resolve, RECEIVED), 'order').report;
  assert.deepEqual([stop.type, stop.venueType, stop.problems], [undefined, 'STOP_MARKET', undefined]);
});

test('spot: an empty client order id and an unknown status keep the report and its fill', () => {
  const report = only(stream.parseEvents('spot', spotFill({ c: '', X: 'FILLED_V2' }), resolve, RECEIVED), 'order').report;
  assert.equal(report.clientOrderId, undefined);
  assert.equal(report.orderId, '5341783271');
  assert.equal(report.fill?.tradeId, '726946523');
  assert.equal(report.fill?.clientOrderId, undefined);
  assert.equal(report.venueStatus, 'FILLED_V2');
  assert.deepEqual(fields(report.problems), ['X']);
});

test('spot and USD-M: a TRADE execution of quantity 0 gives no fill, noted; the report still applies', () => {
  const spot = only(stream.parseEvents('spot', spotFill({ l: '0.00000000' }), resolve, RECEIVED), 'order').report;
  assert.equal(spot.fill, undefined);
  assert.equal(spot.status, 'filled');
  assert.deepEqual(fields(spot.problems), ['l']);
  const usdm = only(stream.parseEvents('usdm', usdmFill({ l: '0' }), resolve, RECEIVED), 'order').report;
  assert.equal(usdm.fill, undefined);
  assert.deepEqual(fields(usdm.problems), ['o.l']);
});

test('a report whose own quantities cannot be read still hands over its fill, with a problem', () => {
  const events = stream.parseEvents('spot', spotFill({ z: 'lots' }), resolve, RECEIVED);
  assert.deepEqual(events.map((e) => e.kind), ['fill', 'problem']);
  const [fill, problem] = events;
  assert.equal(fill?.kind === 'fill' ? fill.fill.tradeId : undefined, '726946523');
  assert.match(problem?.kind === 'problem' ? problem.problem.value : '', /field z/);
  // Without a fill there is nothing to save: the frame is a decode error.
  assert.throws(() => stream.parseEvents('spot', spotFill({ z: 'lots', x: 'NEW' }), resolve, RECEIVED), (e: unknown) => VenueError.is(e, 'decode'));
});

test('non-essential fields that cannot be read are left out, noted: prices, flags, times', () => {
  const report = only(stream.parseEvents('usdm', usdmFill({ ap: 'n/a', R: 'no', m: 1, T: 'now' }), resolve, RECEIVED), 'order').report;
  assert.deepEqual(fields(report.problems), ['o.T', 'o.m', 'o.ap', 'o.R']);
  assert.equal(report.exchangeTime, 1731954087444, 'the event time instead');
  assert.equal(report.fill?.liquidity, undefined);
  assert.equal(report.reduceOnly, undefined);
});

test('REST orders: unknown status, type and time in force pass through; a missing reduceOnly is no error', () => {
  const spot = parseJson(fixtureText('binance/rest/spot-order-query.json')) as Fields;
  const odd = adapter.parseOrder({ ...spot, status: 'WORKING', type: 'PEGGED', timeInForce: 'GTX2' }, LTC_SPOT, RECEIVED);
  assert.deepEqual([odd.status, odd.venueStatus, odd.type, odd.venueType, odd.timeInForce], ['new', 'WORKING', undefined, 'PEGGED', undefined]);
  assert.deepEqual(fields(odd.problems), ['status', 'type', 'timeInForce']);
  const usdm = parseJson(fixtureText('binance/rest/usdm-order-query-recorded.json')) as Fields;
  const { reduceOnly: _r, ...noFlag } = usdm;
  const plain = adapter.parseOrder({ ...noFlag, status: 'NEW_INSURANCE' }, XRP_PERP, RECEIVED);
  assert.deepEqual([plain.status, plain.venueStatus, plain.reduceOnly, plain.problems], ['new', 'NEW_INSURANCE', undefined, undefined]);
});

test('USD-M ACCOUNT_UPDATE: an unreadable balance or position row is left out as a problem, the others stand; an unknown margin type is noted', () => {
  const event = parseJson(fixtureText('binance/ws/usdm-user-account-update-hedge-recorded-2021-04.json')) as { a: { B: Fields[]; P: Fields[] } };
  const [b0] = event.a.B;
  const [p0, p1] = event.a.P;
  const mutated = { ...event, a: { ...event.a, B: [{ ...b0, wb: 'x' }, ...event.a.B.slice(1), { a: 'BNB', wb: '1', cw: '1' }], P: [{ ...p0, pa: '--' }, { ...p1, mt: 'portfolio' }] } };
  const events = stream.parseEvents('usdm', mutated, resolve, RECEIVED);
  const balance = events.find((e) => e.kind === 'balance');
  assert.equal(balance?.kind === 'balance' ? balance.balances.balances['BNB']?.total.toString() : undefined, '1');
  const positions = events.filter((e) => e.kind === 'position');
  assert.equal(positions.length, 1);
  const position = positions[0]?.kind === 'position' ? positions[0].position : undefined;
  assert.equal(position?.marginMode, undefined);
  assert.deepEqual(fields(position?.problems), ['a.P[1].mt']);
  assert.deepEqual(events.filter((e) => e.kind === 'problem').map((e) => (e.kind === 'problem' ? e.problem.field : '')), ['a.B[0]', 'a.P[0]']);
});

test('spot outboundAccountPosition: one unreadable row is left out, noted; the others stand', () => {
  const frame = parseJson(fixtureText('binance/ws/spot-user-outbound-account-position-recorded-2021-03.json')) as { data?: Fields } & Fields;
  const event = (frame['data'] ?? frame) as { B: Fields[] } & Fields;
  const mutated = { ...event, B: [{ ...event.B[0], f: 'NaN' }, ...event.B.slice(1)] };
  const balances = only(stream.parseEvents('spot', mutated, resolve, RECEIVED), 'balance').balances;
  assert.equal(Object.keys(balances.balances).length, event.B.length - 1);
  assert.deepEqual(fields(balances.problems), ['B[0]']);
});

test('market data: a ticker missing figures (and its time) stands without them; a malformed figure is still a decode error', () => {
  const { w: _w, q: _q, E: _E, ...event } = parseJson(fixtureText('binance/ws/spot-ticker-24hr.json')) as Fields;
  const ticker = parseTicker(event, 'BNB/BTC', RECEIVED);
  assert.equal(ticker.vwap, undefined);
  assert.equal(ticker.quoteVolume, undefined);
  assert.equal(ticker.exchangeTime, RECEIVED);
  assert.ok(ticker.last !== undefined);
  assert.throws(() => parseTicker({ ...event, c: 'last' }, 'BNB/BTC', RECEIVED), (e: unknown) => VenueError.is(e, 'decode'));
});
