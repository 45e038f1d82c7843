// The trading layer's policies against a scripted venue: outcome-unknown places resolved by query and never resent,
// definitive refusals, answers that cannot be read, cancels that fail ambiguously, pre-trade checks that send nothing,
// reconciliation.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Decimal } from '../../src/core/decimal.js';
import { VenueError } from '../../src/core/errors.js';
import type { ErrorCode } from '../../src/core/errors.js';
import type { Market } from '../../src/core/model.js';
import type { OrderReport, ReportedStatus } from '../../src/core/orders/order-model.js';
import { maxQuantity } from '../../src/core/orders/pre-trade.js';
import { TypedEvents } from '../../src/core/streams/typed-events.js';
import type { TradingAdapter } from '../../src/core/trading.js';
import type { RestRequest } from '../../src/core/venue.js';
import type { ExchangeEvents } from '../../src/client/events.js';
import { Trading } from '../../src/client/trading.js';

const MARKET: Market = {
  symbol: 'BTC/USDT', id: 'BTCUSDT', venue: 'binance', type: 'spot', segment: 'spot', base: 'BTC', quote: 'USDT', status: 'active', venueStatus: 'TRADING',
  tickSize: Decimal.from('0.01'), stepSize: Decimal.from('0.001'), minQty: Decimal.from('0.001'), minNotional: Decimal.from('5'), precision: { price: 2, amount: 3 },
};

/** What a body that could not be read leaves a parser: not the order's fields (a 2xx whose JSON was cut short). */
const GARBLED = { unreadable: '{"symbol":"BTCUSDT","orderId":28,"clientOrd' };

/** A 2xx body holding the venue's refusal (as an OKX `sCode` row can): the parser throws the venue's error. */
const REFUSAL_IN_BODY = { refused: true };

interface VenueOrder { id: string; clientOrderId: string; status: ReportedStatus; amount: string; price: string; side: 'buy' | 'sell' }

/** A scripted venue: orders by client id; each call can be made to fail after (or before) acting. */
class ScriptedVenue {
  readonly orders = new Map<string, VenueOrder>();
  places = 0;
  cancels = 0;
  queries = 0;
  nextId = 100;
  /**
   * What the next place / cancel does: act then answer, act then lose the answer, refuse, or nothing yet; act then
   * answer with a body the parser cannot read (`garble`), or act then fail with an error of code `fail` (`after:<code>`)
   * or fail with it before acting (`before:<code>`).
   */
  placeScript: Array<'ok' | 'lose' | 'refuse' | 'refuse-in-body' | 'lose-before' | 'garble' | `after:${ErrorCode}` | `before:${ErrorCode}`> = [];
  cancelScript: Array<'ok' | 'lose' | 'lose-before' | 'garble' | `after:${ErrorCode}`> = [];
  /** Queries that answer not-found even though the order exists (the venue's books lag). */
  laggingQueries = 0;

  report(o: VenueOrder): OrderReport {
    // A strict parser, as the venues' are: a body without the order's fields is a decode error.
    if ((o as unknown) === REFUSAL_IN_BODY) throw new VenueError('rejected', 'Insufficient balance', { venue: 'binance', venueCode: '51008' });
    if (typeof o !== 'object' || o === null || typeof o.id !== 'string' || typeof o.status !== 'string') throw new VenueError('decode', `not an order: ${JSON.stringify(o)}`, { venue: 'binance' });
    return { venue: 'binance', symbol: 'BTC/USDT', orderId: o.id, clientOrderId: o.clientOrderId, status: o.status, side: o.side, type: 'limit', amount: Decimal.from(o.amount), price: Decimal.from(o.price), filled: Decimal.ZERO, exchangeTime: 1, receivedAt: 1, source: 'rest' };
  }

  async handle(req: RestRequest): Promise<{ body: unknown; receivedAt: number }> {
    const b = (req.body ?? req.query ?? {}) as Record<string, string>;
    if (req.method === 'POST') {
      this.places++;
      const step = this.placeScript.shift() ?? 'ok';
      if (step === 'refuse') throw new VenueError('rejected', 'Account has insufficient balance for requested action.', { venue: 'binance' });
      if (step === 'lose-before') throw new VenueError('outcome-unknown', 'timed out', { venue: 'binance' });
      if (step === 'refuse-in-body') return { body: REFUSAL_IN_BODY, receivedAt: 1 };
      if (step.startsWith('before:')) throw new VenueError(step.slice(7) as ErrorCode, 'failed before acting', { venue: 'binance' });
      const o: VenueOrder = { id: String(this.nextId++), clientOrderId: b['c'] as string, status: 'new', amount: b['q'] as string, price: b['p'] as string, side: b['s'] as 'buy' };
      this.orders.set(o.clientOrderId, o);
      if (step === 'lose') throw new VenueError('outcome-unknown', 'timed out after sending', { venue: 'binance' });
      if (step.startsWith('after:')) throw new VenueError(step.slice(6) as ErrorCode, 'failed after acting', { venue: 'binance' });
      return { body: step === 'garble' ? GARBLED : o, receivedAt: 1 };
    }
    if (req.method === 'DELETE') {
      this.cancels++;
      const step = this.cancelScript.shift() ?? 'ok';
      const o = this.find(b);
      if (step === 'lose-before') throw new VenueError('outcome-unknown', 'timed out', { venue: 'binance' });
      if (o === undefined || o.status !== 'new') throw new VenueError('not-found', 'Unknown order sent.', { venue: 'binance' });
      o.status = 'cancelled';
      if (step === 'lose') throw new VenueError('outcome-unknown', 'timed out after sending', { venue: 'binance' });
      if (step.startsWith('after:')) throw new VenueError(step.slice(6) as ErrorCode, 'failed after acting', { venue: 'binance' });
      return { body: step === 'garble' ? GARBLED : o, receivedAt: 1 };
    }
    if (req.path === '/open') return { body: [...this.orders.values()].filter((o) => o.status === 'new'), receivedAt: 1 };
    this.queries++;
    const o = this.find(b);
    if (o === undefined || this.laggingQueries-- > 0) throw new VenueError('not-found', 'Order does not exist.', { venue: 'binance' });
    return { body: o, receivedAt: 1 };
  }

  find(b: Record<string, string>): VenueOrder | undefined {
    if (b['c'] !== undefined) return this.orders.get(b['c']);
    return [...this.orders.values()].find((o) => o.id === b['i']);
  }
}

function setup(venue: ScriptedVenue): { trading: Trading; events: TypedEvents<ExchangeEvents> } {
  let n = 0;
  const ref = (r: { id?: string; clientOrderId?: string }): Record<string, string> => ({ ...(r.id === undefined ? {} : { i: r.id }), ...(r.clientOrderId === undefined ? {} : { c: r.clientOrderId }) });
  const rq = (method: RestRequest['method'], path: string, body: Record<string, string>, command = false): RestRequest => ({ method, api: 'spot', path, body, signed: true, costs: [], command });
  const adapter: TradingAdapter = {
    venue: 'binance',
    newClientOrderId: () => `vk${++n}`,
    clientOrderIdProblem: (id) => (/^[A-Za-z0-9]{1,20}$/.test(id) ? undefined : 'letters and digits, at most 20'),
    createOrderRequest: (_m, o, c) => {
      if (o.reduceOnly === true) throw new VenueError('invalid-argument', 'reduce-only is for derivatives', { venue: 'binance' });
      return rq('POST', '/order', { c, q: o.amount.toString(), p: o.price?.toString() ?? '0', s: o.side }, true);
    },
    parseCreateOrder: (body) => venue.report(body as VenueOrder),
    cancelOrderRequest: (_m, r) => rq('DELETE', '/order', ref(r), true),
    parseCancelOrder: (body) => venue.report(body as VenueOrder),
    fetchOrderRequest: (_m, r) => rq('GET', '/order', ref(r)),
    parseOrder: (body) => venue.report(body as VenueOrder),
    openOrdersRequest: () => rq('GET', '/open', {}),
    parseOpenOrders: (body) => (body as VenueOrder[]).map((o) => venue.report(o)),
    myTradesRequest: () => rq('GET', '/trades', {}),
    parseMyTrades: () => [],
    accounts: ['spot'],
    balanceRequest: () => rq('GET', '/balance', {}),
    parseBalance: () => ({ venue: 'binance', account: 'spot', balances: {}, partial: false, exchangeTime: 1, receivedAt: 1 }),
    positionSegments: [],
    positionsRequest: () => rq('GET', '/positions', {}),
    parsePositions: () => [],
    privateConnectionOf: () => 'spot',
    privateStream: undefined as never,
  };
  const events = new TypedEvents<ExchangeEvents>();
  const trading = new Trading(
    {
      adapter,
      credentials: { apiKey: 'k', secret: 's' },
      events,
      market: async () => MARKET,
      loadMarkets: async () => ({ [MARKET.symbol]: MARKET }),
      resolver: () => () => MARKET,
      request: (req) => (req.path === '/trades' ? Promise.resolve({ body: [], receivedAt: 1 }) : venue.handle(req)),
      lastPrice: async () => Decimal.from('65000'),
      now: () => Date.now(),
    },
    { queries: 4, firstDelayMs: 5 },
  );
  return { trading, events };
}

test('a place whose answer was lost is resolved by querying the client order id, and never sent twice', async () => {
  const venue = new ScriptedVenue();
  venue.placeScript = ['lose'];
  venue.laggingQueries = 1;
  const { trading, events } = setup(venue);
  const problems: string[] = [];
  events.on('problem', (e) => problems.push(e.context));
  const order = await trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60000.00');
  assert.equal(venue.places, 1);
  assert.equal(venue.orders.size, 1);
  assert.equal(venue.queries, 2);
  assert.equal(order.status, 'new');
  assert.equal(order.id, '100');
  assert.equal(order.outcomeUnknown, false);
  assert.equal(trading.orders().length, 1);
  assert.ok(problems.some((p) => p.includes('outcome unknown')));
});

test('a place that never reached the venue stays outcome-unknown after the queries, and is not resent', async () => {
  const venue = new ScriptedVenue();
  venue.placeScript = ['lose-before'];
  const { trading } = setup(venue);
  await assert.rejects(trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60000.00'), (e: unknown) => e instanceof VenueError && e.code === 'outcome-unknown');
  assert.equal(venue.places, 1);
  assert.equal(venue.queries, 4);
  const [o] = trading.orders();
  assert.ok(o !== undefined);
  assert.equal(o.outcomeUnknown, true);
  assert.equal(o.status, 'pending-new');
});

test('a definitive refusal marks the order rejected and throws the venue error', async () => {
  const venue = new ScriptedVenue();
  venue.placeScript = ['refuse'];
  const { trading } = setup(venue);
  await assert.rejects(trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60000.00'), (e: unknown) => e instanceof VenueError && e.code === 'rejected');
  const [o] = trading.orders();
  assert.equal(o?.status, 'rejected');
  assert.equal(venue.queries, 0);
});

test('filters and risk checks refuse locally: nothing is sent', async () => {
  const venue = new ScriptedVenue();
  const { trading } = setup(venue);
  await assert.rejects(trading.createOrder('BTC/USDT', 'limit', 'buy', '0.0105', '60000.00'), (e: unknown) => e instanceof VenueError && e.code === 'invalid-argument' && /step size/.test(e.message));
  await assert.rejects(trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60000.005'), (e: unknown) => e instanceof VenueError && /tick size/.test(e.message));
  trading.risk.add(maxQuantity('1'));
  await assert.rejects(trading.createOrder('BTC/USDT', 'limit', 'buy', '2', '60000.00'), (e: unknown) => e instanceof VenueError && e.code === 'rejected' && /max quantity/.test(e.message));
  await assert.rejects(trading.createOrder('BTC/USDT', 'limit', 'buy', '0.01', '60000.00', { clientOrderId: 'has space' }), (e: unknown) => e instanceof VenueError && e.code === 'invalid-argument');
  assert.equal(venue.places, 0);
  assert.equal(trading.orders().length, 0);
});

test('a cancel whose answer was lost is checked by query; a lost cancel that never acted is sent again', async () => {
  const venue = new ScriptedVenue();
  const { trading } = setup(venue);
  const a = await trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60000.00');
  const b = await trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60001.00');
  venue.cancelScript = ['lose'];
  const ca = await trading.cancelOrder({ clientOrderId: a.clientOrderId as string }, 'BTC/USDT');
  assert.equal(ca.status, 'cancelled');
  assert.equal(venue.cancels, 1);
  venue.cancelScript = ['lose-before'];
  const cb = await trading.cancelOrder(b.id as string, 'BTC/USDT');
  assert.equal(cb.status, 'cancelled');
  assert.equal(venue.cancels, 3);
  // A cancel of a finished order is refused, and the tracked state is what the venue says.
  await assert.rejects(trading.cancelOrder(b.id as string, 'BTC/USDT'), (e: unknown) => e instanceof VenueError && e.code === 'not-found');
  assert.equal(trading.tracker.get({ id: b.id as string })?.status, 'cancelled');
});

test('reconciliation settles an outcome-unknown order that the venue did accept', async () => {
  const venue = new ScriptedVenue();
  venue.placeScript = ['lose'];
  venue.laggingQueries = 10;
  const { trading } = setup(venue);
  await assert.rejects(trading.createOrder('BTC/USDT', 'limit', 'sell', '0.010', '70000.00'), (e: unknown) => e instanceof VenueError && e.code === 'outcome-unknown');
  venue.laggingQueries = 0;
  const r = await trading.reconcile();
  assert.equal(r.orders, 1);
  const [o] = trading.orders();
  assert.equal(o?.outcomeUnknown, false);
  assert.equal(o?.status, 'new');
  assert.equal(venue.places, 1);
});

test('an order the request builder refuses is not sent and not tracked', async () => {
  const venue = new ScriptedVenue();
  const { trading } = setup(venue);
  await assert.rejects(trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60000.00', { reduceOnly: true }), (e: unknown) => e instanceof VenueError && e.code === 'invalid-argument');
  assert.equal(venue.places, 0);
  assert.equal(trading.orders().length, 0);
});

test('a place the venue took but whose answer cannot be read is resolved by query: one order, live, never resent', async () => {
  const venue = new ScriptedVenue();
  venue.placeScript = ['garble'];
  const { trading, events } = setup(venue);
  const problems: string[] = [];
  events.on('problem', (e) => problems.push(`${e.context}: ${e.error.message}`));
  const order = await trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60000.00');
  assert.equal(venue.places, 1);
  assert.equal(venue.orders.size, 1);
  assert.equal(order.status, 'new', 'the real state, not rejected');
  assert.equal(order.id, '100');
  assert.equal(order.outcomeUnknown, false);
  assert.equal(trading.orders().length, 1);
  assert.ok(problems.some((p) => /outcome unknown/.test(p) && /could not be read/.test(p)), problems.join('\n'));
});

test('only definitive refusals (and errors of a place never sent) mark it rejected; every other error may hide a live order and is resolved by query', async () => {
  // A code that may come after the venue acted (the transport makes network and timeout after sending
  // outcome-unknown): each must find the live order, none may call it rejected.
  for (const code of ['decode', 'book-integrity'] as const) {
    const venue = new ScriptedVenue();
    venue.placeScript = [`after:${code}`];
    const { trading } = setup(venue);
    const order = await trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60000.00');
    assert.equal(order.status, 'new', code);
    assert.equal(order.outcomeUnknown, false, code);
    assert.equal(venue.places, 1, code);
    assert.equal(venue.orders.size, 1, code);
  }
  // The venue's refusals, and what the transport raises only for a command it never sent (refused connection,
  // no slot in time, an abort before sending): rejected at once with the error as it is, nothing queried.
  for (const code of ['rejected', 'invalid-argument', 'auth', 'not-found', 'rate-limited', 'clock-skew', 'network', 'timeout', 'closed'] as const) {
    const venue = new ScriptedVenue();
    venue.placeScript = [`before:${code}`];
    const { trading } = setup(venue);
    await assert.rejects(trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60000.00'), (e: unknown) => e instanceof VenueError && e.code === code);
    assert.equal(trading.orders()[0]?.status, 'rejected', code);
    assert.equal(venue.queries, 0, code);
  }
  // A refusal the venue wrote in a 2xx body is still a refusal.
  {
    const venue = new ScriptedVenue();
    venue.placeScript = ['refuse-in-body'];
    const { trading } = setup(venue);
    await assert.rejects(trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60000.00'), (e: unknown) => e instanceof VenueError && e.code === 'rejected' && e.venueCode === '51008');
    assert.equal(trading.orders()[0]?.status, 'rejected');
    assert.equal(venue.queries, 0);
  }
  // The same ambiguous codes when the venue did not act: outcome-unknown after the queries, still not resent.
  const venue = new ScriptedVenue();
  venue.placeScript = ['before:decode'];
  const { trading } = setup(venue);
  await assert.rejects(trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60000.00'), (e: unknown) => e instanceof VenueError && e.code === 'outcome-unknown');
  assert.equal(venue.places, 1);
  assert.equal(trading.orders()[0]?.outcomeUnknown, true);
  assert.equal(trading.orders()[0]?.status, 'pending-new');
});

test('a cancel whose answer cannot be read is checked by query, not taken as a refusal', async () => {
  const venue = new ScriptedVenue();
  const { trading } = setup(venue);
  const a = await trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60000.00');
  const b = await trading.createOrder('BTC/USDT', 'limit', 'buy', '0.010', '60001.00');
  venue.cancelScript = ['garble'];
  const ca = await trading.cancelOrder(a.id as string, 'BTC/USDT');
  assert.equal(ca.status, 'cancelled');
  assert.equal(venue.cancels, 1, 'the query showed it done: not sent again');
  venue.cancelScript = ['after:decode'];
  const cb = await trading.cancelOrder({ clientOrderId: b.clientOrderId as string }, 'BTC/USDT');
  assert.equal(cb.status, 'cancelled');
  assert.equal(venue.cancels, 2);
  assert.equal(trading.tracker.get({ id: b.id as string })?.status, 'cancelled');
});
