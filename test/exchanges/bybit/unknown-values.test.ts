/**
 * Bybit parsers accept what they do not know (issue 9, item 3). Each payload is a real recorded frame, MUTATED by
 * the test to carry one odd value: an order status or type Bybit may add later, an execution of quantity 0 or of
 * an unknown type, a wallet row without `accountType`, one unreadable
 * row among good ones, an unknown margin mode. Values pass through (raw value kept) or are left out, each noted
 * naming the field; the rest of the frame stands.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { VenueError } from '../../../src/core/errors.js';
import type { DecodeProblem } from '../../../src/core/problems.js';
import type { MarketResolver, PrivateEvent } from '../../../src/core/trading.js';
import { bybitUrlsAt } from '../../../src/exchanges/bybit/config.js';
import { createBybitPrivateStream } from '../../../src/exchanges/bybit/private-stream.js';
import { createBybitTrading } from '../../../src/exchanges/bybit/trading.js';
import { BYBIT_TESTNET } from '../../../src/exchanges/bybit/config.js';
import { fixtureText } from '../../helpers/wait.js';
import { tradingMarket } from './trading-markets.js';

const dialect = createBybitPrivateStream(bybitUrlsAt('http://127.0.0.1:1', 'ws://127.0.0.1:2'));
const trading = createBybitTrading({ urls: BYBIT_TESTNET });


const XRP = tradingMarket('XRPUSDT', 'linear', 'XRP', 'USDT', '0.0001', '1');
const resolve: MarketResolver = (id, segment) => (id === 'XRPUSDT' && segment === 'linear' ? XRP : undefined);

type Frame = { data: Array<Record<string, unknown>> } & Record<string, unknown>;
const frame = (name: string): Frame => JSON.parse(fixtureText(`bybit/ws/${name}`)) as Frame;
const withRows = (f: Frame, ...rows: Array<Record<string, unknown>>): Frame => ({ ...f, data: rows });
const parse = (f: unknown): PrivateEvent[] => dialect.parseEvents('private', f, resolve, 7);
const fields = (problems: readonly DecodeProblem[] | undefined): string[] => (problems ?? []).map((p) => p.field);
const problemFields = (events: PrivateEvent[]): string[] => events.flatMap((e) => (e.kind === 'problem' ? [e.problem.field] : []));

test('an order status and an order type Bybit may add later pass through, noted; the report stands', () => {
  const order = frame('private-order-new-recorded.json');
  const [event, ...rest] = parse(withRows(order, { ...order.data[0], orderStatus: 'PendingTrigger', orderType: 'Twap', timeInForce: 'GTD' }));
  assert.deepEqual(rest, []);
  const report = event?.kind === 'order' ? event.report : undefined;
  assert.equal(report?.status, 'new');
  assert.equal(report?.venueStatus, 'PendingTrigger');
  assert.equal(report?.type, undefined);
  assert.equal(report?.venueType, 'Twap');
  assert.equal(report?.price?.toString(), '2.5293', 'the price of an order of unknown type is kept');
  assert.deepEqual(fields(report?.problems), ['data[0].orderStatus', 'data[0].orderType', 'data[0].timeInForce']);
  assert.equal(report?.problems?.[0]?.value, '"PendingTrigger"');
});

test('executions: quantity 0 and an unknown type give no fill, as problems; the good row of the push stands', () => {
  const exec = frame('private-execution-recorded.json');
  const [a, b] = exec.data;
  const events = parse(withRows(exec, { ...a, execQty: '0' }, b ?? {}, { ...a, execId: 'x-3', execType: 'Interest' }));
  assert.deepEqual(events.filter((e) => e.kind === 'fill').map((e) => (e.kind === 'fill' ? e.fill.tradeId : '')), [b?.['execId']]);
  assert.deepEqual(problemFields(events), ['data[0].execQty', 'data[2].execType']);
  // Documented non-fills stay silent.
  assert.deepEqual(parse(withRows(exec, { ...a, execType: 'Funding' })), []);
});

test('one unreadable row among good ones is a problem, not a lost push; a push of nothing readable is a decode error', () => {
  const exec = frame('private-execution-recorded.json');
  const [a, b] = exec.data;
  const events = parse(withRows(exec, { ...a, side: 'buy' }, b ?? {}));
  assert.deepEqual(events.map((e) => e.kind), ['fill', 'problem']);
  assert.match(events[1]?.kind === 'problem' ? events[1].problem.value : '', /data\[0\]\.side/);
  assert.throws(() => parse(withRows(exec, { ...a, side: 'buy' })), (e: unknown) => VenueError.is(e, 'decode'));
});

test('wallet: a row without accountType is the unified account; another account type is not; an unreadable coin is noted', () => {
  const recorded = frame('private-wallet-recorded.json');
  const { accountType, ...row } = recorded.data[0] ?? {};
  assert.equal(accountType, 'UNIFIED');
  const wallet = withRows(recorded, row);
  const balances = parse(wallet).find((e) => e.kind === 'balance');
  assert.equal(balances?.kind === 'balance' ? balances.balances.balances['USDT']?.total.toString() : undefined, '1000.05007561');
  assert.deepEqual(parse(withRows(wallet, { ...row, accountType: 'FUND' })), []);
  const coins = (row?.['coin'] ?? []) as Array<Record<string, unknown>>;
  const odd = parse(withRows(wallet, { ...row, coin: [{ ...coins[0], walletBalance: 'many' }, { ...coins[0], coin: 'USDC' }] }));
  const b = odd.find((e) => e.kind === 'balance');
  assert.deepEqual(b?.kind === 'balance' ? Object.keys(b.balances.balances) : [], ['USDC']);
  assert.deepEqual(problemFields(odd), ['data[0].coin[0]']);
});

test('positions: an unknown margin mode and an unreadable time are noted and left out', () => {
  const position = frame('private-position-recorded.json');
  const [event] = parse(withRows(position, { ...position.data[0], tradeMode: 3, updatedTime: 'soon' }));
  const p = event?.kind === 'position' ? event.position : undefined;
  assert.equal(p?.marginMode, undefined);
  assert.equal(p?.contracts.toString(), '4');
  assert.equal(p?.exchangeTime, position['creationTime']);
  assert.deepEqual(fields(p?.problems), ['data[0].updatedTime', 'data[0].tradeMode']);
});

test('REST order lists: an unknown status passes through with the order counted by its fills', () => {
  const body = JSON.parse(fixtureText('bybit/rest/order-realtime.json')) as { result: { list: Array<Record<string, unknown>> } };
  const row = { ...body.result.list[0], orderStatus: 'Suspended', cumExecQty: '0.01' };
  const eth = { ...XRP, id: 'ETHUSDT', symbol: 'ETH/USDT:USDT', base: 'ETH' };
  const report = trading.parseOrder({ ...body, result: { ...body.result, list: [row] } }, eth, 1);
  assert.deepEqual([report.status, report.venueStatus, fields(report.problems)], ['partially-filled', 'Suspended', ['result.list[0].orderStatus']]);
});
