/**
 * Every public entry point checks its arguments at run time (plain JavaScript callers, config files): a value
 * outside the allowed set is `invalid-argument` naming the field and the allowed values, and nothing is sent, on
 * each venue against the simulator. Orders and account here; book depth, timeframes and factories in
 * `argument-validation-market.test.ts`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Exchange } from '../../src/client/exchange.js';
import { Decimal } from '../../src/core/decimal.js';
import { SIM_DEMO_ACCOUNT, startSimulator } from '../../src/testing/sim/server.js';
import type { Simulator } from '../../src/testing/sim/server.js';
import { assertRefused, connect, VENUES } from '../helpers/refusals.js';

/** Arguments a plain JavaScript caller can pass whatever the types say. */
type Loose = (ex: Exchange) => unknown;
const loose = (ex: Exchange): Record<string, (...args: unknown[]) => unknown> => ex as unknown as Record<string, (...args: unknown[]) => unknown>;
const createOrder = (...args: unknown[]): Loose => (ex) => loose(ex)['createOrder']?.apply(ex, args);

const SYMBOL = 'BTC/USDT';
const SIDE = /side must be one of "buy", "sell"/;
const TYPE = /type must be one of "limit", "market"/;
const AMOUNT = /amount must be a decimal string such as "0\.01", a Decimal or a safe integer/;
const PRICE = /price must be a decimal string such as "0\.01", a Decimal or a safe integer/;
const TIF = /timeInForce must be one of "GTC", "IOC", "FOK"/;

/** [what, call, patterns the message must match]: every case is refused before the markets even load. */
const ORDER_CASES: ReadonlyArray<readonly [string, Loose, ...RegExp[]]> = [
  ["side 'BUY'", createOrder(SYMBOL, 'limit', 'BUY', '0.01', '100'), SIDE, /got "BUY"/],
  ["side 'long'", createOrder(SYMBOL, 'limit', 'long', '0.01', '100'), SIDE, /got "long"/],
  ["side 'Buy'", createOrder(SYMBOL, 'limit', 'Buy', '0.01', '100'), SIDE, /got "Buy"/],
  ['side undefined', createOrder(SYMBOL, 'limit', undefined, '0.01', '100'), SIDE, /got undefined/],
  ["type 'Limit'", createOrder(SYMBOL, 'Limit', 'buy', '0.01', '100'), TYPE, /got "Limit"/],
  ["type 'LIMIT_MAKER'", createOrder(SYMBOL, 'LIMIT_MAKER', 'buy', '0.01', '100'), TYPE],
  ['type undefined', createOrder(SYMBOL, undefined, 'buy', '0.01', '100'), TYPE],
  ['amount 0.1 (a JS number)', createOrder(SYMBOL, 'limit', 'buy', 0.1, '100'), AMOUNT, /got 0\.1/, /pass a string/],
  ['amount NaN', createOrder(SYMBOL, 'limit', 'buy', Number.NaN, '100'), AMOUNT, /got NaN/],
  ["amount 'NaN'", createOrder(SYMBOL, 'limit', 'buy', 'NaN', '100'), AMOUNT, /got "NaN"/],
  ["amount ' 0.01 '", createOrder(SYMBOL, 'limit', 'buy', ' 0.01 ', '100'), AMOUNT, /got " 0\.01 "/],
  ["amount '1e-3'", createOrder(SYMBOL, 'limit', 'buy', '1e-3', '100'), AMOUNT],
  ["amount ''", createOrder(SYMBOL, 'limit', 'buy', '', '100'), AMOUNT],
  ['amount Infinity', createOrder(SYMBOL, 'limit', 'buy', Infinity, '100'), AMOUNT],
  ['amount an object', createOrder(SYMBOL, 'limit', 'buy', { value: '1' }, '100'), AMOUNT, /got an object/],
  ["amount '0'", createOrder(SYMBOL, 'limit', 'buy', '0', '100'), /amount must be positive; got 0/],
  ["amount '-1'", createOrder(SYMBOL, 'limit', 'buy', '-1', '100'), /amount must be positive/],
  ['price 0.1 (a JS number)', createOrder(SYMBOL, 'limit', 'buy', '1', 0.1), PRICE, /got 0\.1/],
  ["price 'NaN'", createOrder(SYMBOL, 'limit', 'buy', '1', 'NaN'), PRICE],
  ["price ' 100 '", createOrder(SYMBOL, 'limit', 'buy', '1', ' 100 '), PRICE],
  ['a limit order without price', createOrder(SYMBOL, 'limit', 'buy', '1'), /price is required for a limit order/],
  ['a market order with a price', createOrder(SYMBOL, 'market', 'buy', '1', '100'), /price must be left out of a market order/],
  ['options a string', createOrder(SYMBOL, 'limit', 'buy', '1', '100', 'postOnly'), /createOrder options must be an options object; got "postOnly"/],
  ["option typo 'postonly'", createOrder(SYMBOL, 'limit', 'buy', '1', '100', { postonly: true }), /unknown option "postonly"/, /allowed: signal, timeoutMs, timeInForce, postOnly, reduceOnly, clientOrderId, lastPrice/],
  ["timeInForce 'gtc'", createOrder(SYMBOL, 'limit', 'buy', '1', '100', { timeInForce: 'gtc' }), TIF, /got "gtc"/],
  ["timeInForce 'GTX'", createOrder(SYMBOL, 'limit', 'buy', '1', '100', { timeInForce: 'GTX' }), TIF],
  ["postOnly 'true'", createOrder(SYMBOL, 'limit', 'buy', '1', '100', { postOnly: 'true' }), /postOnly must be true or false; got "true"/],
  ['reduceOnly 1', createOrder(SYMBOL, 'limit', 'buy', '1', '100', { reduceOnly: 1 }), /reduceOnly must be true or false; got 1/],
  ["clientOrderId ''", createOrder(SYMBOL, 'limit', 'buy', '1', '100', { clientOrderId: '' }), /clientOrderId must be a non-empty string/],
  ['clientOrderId 42', createOrder(SYMBOL, 'limit', 'buy', '1', '100', { clientOrderId: 42 }), /clientOrderId must be a non-empty string; got 42/],
  ['lastPrice 0.5 (a JS number)', createOrder(SYMBOL, 'limit', 'buy', '1', '100', { lastPrice: 0.5 }), /lastPrice must be a decimal string/],
  ["signal 'abort'", createOrder(SYMBOL, 'limit', 'buy', '1', '100', { signal: 'abort' }), /signal must be an AbortSignal/],
  ['timeoutMs 0', createOrder(SYMBOL, 'limit', 'buy', '1', '100', { timeoutMs: 0 }), /timeoutMs must be an integer from 1 to 2147483647; got 0/],
  ['symbol undefined', createOrder(undefined, 'limit', 'buy', '1', '100'), /symbol must be a non-empty string; got undefined/],
];

/** Trading and account calls other than createOrder. */
const ACCOUNT_CASES: ReadonlyArray<readonly [string, Loose, ...RegExp[]]> = [
  ['cancelOrder ref undefined', (ex) => loose(ex)['cancelOrder']?.call(ex, undefined, SYMBOL), /ref must be an order id string, \{ id \} or \{ clientOrderId \}; got undefined/],
  ['cancelOrder ref {}', (ex) => loose(ex)['cancelOrder']?.call(ex, {}, SYMBOL), /ref must name the order/],
  ["cancelOrder ref { orderId }", (ex) => loose(ex)['cancelOrder']?.call(ex, { orderId: '1' }, SYMBOL), /unknown option "orderId"/, /allowed: id, clientOrderId/],
  ['cancelOrder ref { id: 5 }', (ex) => loose(ex)['cancelOrder']?.call(ex, { id: 5 }, SYMBOL), /ref\.id must be a non-empty string; got 5/],
  ["fetchOrder ref ''", (ex) => loose(ex)['fetchOrder']?.call(ex, '', SYMBOL), /ref must be a non-empty string/],
  ['fetchOrder ref 42', (ex) => loose(ex)['fetchOrder']?.call(ex, 42, SYMBOL), /ref must be an order id string, \{ id \} or \{ clientOrderId \}; got 42/],
  ['fetchOrder symbol 5', (ex) => loose(ex)['fetchOrder']?.call(ex, '1', 5), /symbol must be a non-empty string; got 5/],
  ['fetchOpenOrders symbol undefined', (ex) => loose(ex)['fetchOpenOrders']?.call(ex), /symbol must be a non-empty string/],
  ['fetchOpenOrders option typo', (ex) => loose(ex)['fetchOpenOrders']?.call(ex, SYMBOL, { timeout: 5 }), /fetchOpenOrders options has an unknown option "timeout" \(allowed: signal, timeoutMs\)/],
  ['fetchMyTrades since -1', (ex) => ex.fetchMyTrades(SYMBOL, -1), /since must be an integer ≥ 0; got -1/],
  ["fetchMyTrades since 'yesterday'", (ex) => loose(ex)['fetchMyTrades']?.call(ex, SYMBOL, 'yesterday'), /since must be an integer ≥ 0; got "yesterday"/],
  ['fetchMyTrades limit 0', (ex) => ex.fetchMyTrades(SYMBOL, undefined, 0), /limit must be an integer ≥ 1; got 0/],
  ['fetchMyTrades limit 1.5', (ex) => ex.fetchMyTrades(SYMBOL, undefined, 1.5), /limit must be an integer ≥ 1; got 1\.5/],
  ["fetchBalance account 'margin'", (ex) => ex.fetchBalance({ account: 'margin' }), /account must be one of/, /got "margin"/],
  ["fetchPositions symbols 'BTC/USDT:USDT'", (ex) => loose(ex)['fetchPositions']?.call(ex, 'BTC/USDT:USDT'), /symbols must be an array; got "BTC\/USDT:USDT"/],
  ['fetchPositions symbols [5]', (ex) => loose(ex)['fetchPositions']?.call(ex, [5]), /symbols\[0\] must be a non-empty string; got 5/],
  ['watchOrders option typo', (ex) => loose(ex)['watchOrders']?.call(ex, SYMBOL, { capcity: 5 }), /watchOrders options has an unknown option "capcity" \(allowed: signal, capacity\)/],
  ['watchOrders capacity 0', (ex) => ex.watchOrders(SYMBOL, { capacity: 0 }), /capacity must be an integer from 1 to 1000000; got 0/],
  ['watchMyTrades symbol 5', (ex) => loose(ex)['watchMyTrades']?.call(ex, 5), /symbol must be a non-empty string; got 5/],
  ["watchBalance account 'x'", (ex) => ex.watchBalance({ account: 'x' }), /account must be one of/],
  ['watchPositions symbols {}', (ex) => loose(ex)['watchPositions']?.call(ex, {}), /symbols must be an array; got an object/],
  ["startPrivateStreams signal 'x'", (ex) => loose(ex)['startPrivateStreams']?.call(ex, 'x'), /signal must be an AbortSignal; got "x"/],
  ['reconcile options 5', (ex) => loose(ex)['reconcile']?.call(ex, 5), /reconcile options must be an options object; got 5/],
  ['addRiskCheck {}', (ex) => loose(ex)['addRiskCheck']?.call(ex, {}), /check\.name must be a non-empty string; got undefined/],
  ["addRiskCheck { name, check: 'no' }", (ex) => loose(ex)['addRiskCheck']?.call(ex, { name: 'x', check: 'no' }), /check\.check must be a function/],
  ['orders symbol 5', (ex) => loose(ex)['orders']?.call(ex, 5), /symbol must be a non-empty string; got 5/],
];

describe('orders and account: each field refused on every venue, nothing sent', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ symbols: ['BTC/USDT', 'BTC/USDT:USDT'], tickMs: 0 });
  });
  after(async () => {
    await sim.close();
  });

  for (const venue of VENUES) {
    test(`${venue}: createOrder refuses each bad side, type, amount, price and option before loading markets or sending`, async () => {
      await using ex = connect(sim, venue);
      for (const [what, call, ...says] of ORDER_CASES) await assertRefused(sim, ex, what, () => call(ex), ...says);
      assert.deepEqual(ex.markets, {}, 'the markets never even loaded');
    });

    test(`${venue}: order references, since/limit, accounts, symbols lists, watch options and risk checks are checked`, async () => {
      await using ex = connect(sim, venue);
      for (const [what, call, ...says] of ACCOUNT_CASES) await assertRefused(sim, ex, what, () => call(ex), ...says);
    });

    test(`${venue}: a valid order still goes through after the refusals, with the markets keyed by symbol`, async () => {
      await using ex = connect(sim, venue);
      const markets = await ex.loadMarkets();
      assert.deepEqual(Object.keys(ex.markets).sort(), Object.keys(markets).sort());
      assert.equal(ex.markets['BTC/USDT']?.symbol, 'BTC/USDT');
      const market = ex.market('BTC/USDT');
      // Refused after the markets loaded: still nothing sent.
      await assertRefused(sim, ex, "side 'BUY' with markets loaded", () => createOrder(SYMBOL, 'limit', 'BUY', '0.01', '100')(ex), SIDE);
      const ticker = await ex.fetchTicker('BTC/USDT');
      const price = (ticker.bid ?? Decimal.from('1')).mul('0.9').quantize(market.tickSize, 'down');
      const amount = (market.minQty ?? market.stepSize).mul('10').quantize(market.stepSize, 'up');
      const order = await ex.createOrder('BTC/USDT', 'limit', 'buy', amount.toString(), price, { postOnly: true });
      assert.equal(order.side, 'buy');
      const resting = sim.tradingOf(venue).orders(SIM_DEMO_ACCOUNT.apiKey).find((o) => o.clientOrderId === order.clientOrderId);
      assert.equal(resting?.side, 'buy', 'the venue holds a buy');
      await ex.cancelOrder({ clientOrderId: order.clientOrderId as string }, 'BTC/USDT');
    });
  }

  test('risk-check constructors refuse what is not a positive decimal', async () => {
    const { maxQuantity, maxNotional, priceBand } = await import('../../src/core/orders/pre-trade.js');
    const refuse = (fn: () => unknown, re: RegExp): void => assert.throws(fn, (e: unknown) => e instanceof Error && (e as { code?: string }).code === 'invalid-argument' && re.test(e.message));
    refuse(() => maxQuantity(0.1 as never), /max must be a decimal string such as "0\.01", a Decimal or a safe integer; got 0\.1/);
    refuse(() => maxQuantity('0'), /max must be positive; got 0/);
    refuse(() => maxNotional('abc'), /max must be a decimal string/);
    refuse(() => maxNotional(undefined as never), /max must be a decimal string.*got undefined/);
    refuse(() => priceBand('-0.05'), /fraction must be positive; got -0\.05/);
    refuse(() => priceBand(' 0.05'), /fraction must be a decimal string/);
    assert.equal(priceBand('0.05').name, 'price band');
    assert.equal(maxQuantity(2 as never).name, 'max quantity', 'a safe integer is a fine decimal');
  });
});
