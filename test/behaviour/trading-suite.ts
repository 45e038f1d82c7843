/**
 * The trading behaviour suite every venue's trading adapter + simulator front end pair must pass: orders placed,
 * queried, listed and cancelled (by id and client id) on spot and derivatives; fills, balances and positions equal
 * to the venue's truth; duplicate, reordered and lost private events; lost and timed-out acknowledgements; a
 * dropped private stream; bad keys. Each scenario compares the client's belief with the matching engine's truth.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Exchange } from '../../src/client/exchange.js';
import { Decimal } from '../../src/core/decimal.js';
import { VenueError } from '../../src/core/errors.js';
import type { VenueId } from '../../src/core/model.js';
import type { Fill, Order } from '../../src/core/orders/order-model.js';
import type { Credentials } from '../../src/core/venue.js';
import { SIM_DEMO_ACCOUNT, startSimulator } from '../../src/testing/sim/server.js';
import type { Simulator, SimulatorOptions } from '../../src/testing/sim/server.js';
import { waitFor } from '../helpers/wait.js';

export interface TradingSpec {
  readonly venue: VenueId;
  /** A client pointed at the simulator with these credentials. */
  readonly connect: (sim: Simulator, credentials: Credentials) => Exchange;
  /** A spot and a derivatives market the venue trades. */
  readonly spot: { readonly symbol: string; readonly amount: string };
  readonly derivative: { readonly symbol: string; readonly amount: string };
  /** Terminates the venue's private streams (no close frame). */
  readonly dropPrivate: (sim: Simulator) => number;
  readonly simOptions?: SimulatorOptions;
}

const DEMO: Credentials = { apiKey: SIM_DEMO_ACCOUNT.apiKey, secret: SIM_DEMO_ACCOUNT.secret, ...(SIM_DEMO_ACCOUNT.passphrase === undefined ? {} : { passphrase: SIM_DEMO_ACCOUNT.passphrase }) };

/** The venue's best bid and ask of `symbol`, as the truth has them now. */
function touch(sim: Simulator, venue: VenueId, symbol: string): { bid: Decimal; ask: Decimal } {
  const market = sim.marketOf(venue);
  const inst = market.instrument(symbol);
  const snap = market.snapshot(symbol, 1);
  const [b] = snap.bids;
  const [a] = snap.asks;
  if (b === undefined || a === undefined) throw new Error(`no touch on ${symbol}`);
  return { bid: Decimal.fromScaled(b[0], inst.priceScale), ask: Decimal.fromScaled(a[0], inst.priceScale) };
}

/** A price `fraction` away from `ref` (negative = below), on the market's tick. */
function away(ex: Exchange, symbol: string, ref: Decimal, fraction: string): Decimal {
  const tick = ex.market(symbol).tickSize;
  return ref.add(ref.mul(fraction)).quantize(tick, 'down');
}

/** Collects everything a watch yields until stopped. */
function collect<T>(it: AsyncIterableIterator<T>): { items: T[]; stop: () => Promise<void>; error: () => unknown } {
  const items: T[] = [];
  let failure: unknown;
  const run = (async () => {
    try {
      for await (const x of it) items.push(x);
    } catch (err) {
      failure = err;
    }
  })();
  return {
    items,
    error: () => failure,
    stop: async () => {
      await it.return?.();
      await run;
    },
  };
}

/**
 * Statuses that mean the same end: venues write an order that ended with its remainder unfilled as cancelled
 * (Bybit `Cancelled`, OKX `canceled`), expired (Binance IOC/FOK) or a refusal (Binance spot post-only), where the
 * engine records `expired`; the filled quantity, compared alongside, tells them apart from a fill.
 */
function sameEnd(client: string, venue: string): boolean {
  const ended = new Set(['cancelled', 'expired', 'rejected']);
  return client === venue || (ended.has(client) && ended.has(venue));
}

function sumFills(fills: readonly Fill[]): Decimal {
  return fills.reduce((s, f) => s.add(f.amount), Decimal.ZERO);
}

export function tradingBehaviourSuite(spec: TradingSpec): void {
  describe(`${spec.venue} trading behaviour`, () => {
    let sim: Simulator;
    let ex: Exchange;
    const engine = () => sim.tradingOf(spec.venue);
    const key = DEMO.apiKey;
    /** Frames the client skipped as undecodable or unrecognized (private sessions and streams), all suite long. */
    const skipped: string[] = [];

    before(async () => {
      sim = await startSimulator({ symbols: [spec.spot.symbol, spec.derivative.symbol], ...spec.simOptions });
      ex = spec.connect(sim, DEMO);
      ex.events.on('problem', (e) => {
        if (/(undecodable|unrecognized) frame|which no subscription on this connection takes|frames skipped since the last report/.test(e.error.message)) skipped.push(`${e.context}: ${e.error.message}`);
      });
      await ex.loadMarkets();
      await ex.startPrivateStreams();
    });

    after(async () => {
      await ex.close();
      await sim.close();
    });

    /** The client's fills of `symbol` equal the engine's, one for one by trade id. */
    async function assertFillsMatchTruth(symbol: string): Promise<void> {
      await waitFor(() => {
        const mine = new Set(ex.orders(symbol).flatMap((o) => o.fills.map((f) => f.tradeId)));
        const truth = engine().fills(key, symbol);
        return truth.length === mine.size && truth.every((f) => mine.has(f.tradeId));
      }, `the client's ${symbol} fills to equal the venue's`, 8000);
      for (const o of ex.orders(symbol)) {
        const ids = o.fills.map((f) => f.tradeId);
        assert.equal(new Set(ids).size, ids.length, `order ${o.id} counts a fill twice`);
        assert.ok(sumFills(o.fills).lte(o.amount), `order ${o.id} filled more than its amount`);
      }
    }

    /** Every order the engine holds for `symbol` is tracked by the client with the same status and filled quantity. */
    async function assertOrdersMatchTruth(symbol: string): Promise<void> {
      const m = ex.market(symbol);
      const unit = (units: number, scale: number) => Decimal.fromScaled(units, scale).normalize().toString();
      const inst = sim.marketOf(spec.venue).instrument(symbol);
      await waitFor(() => engine().orders(key, symbol).every((t) => {
        const o = ex.orders(symbol).find((x) => x.clientOrderId === t.clientOrderId || x.id === t.orderId);
        return o !== undefined && sameEnd(o.status, t.status) && o.filled.normalize().toString() === unit(t.filledUnits, inst.qtyScale);
      }), `every ${m.symbol} order on the venue to be tracked with its status and fills`, 8000);
    }

    for (const kind of ['spot', 'derivative'] as const) {
      const { symbol, amount } = spec[kind];

      test(`${kind}: a resting limit order is placed, queried, listed and cancelled by id`, async () => {
        const { bid } = touch(sim, spec.venue, symbol);
        const price = away(ex, symbol, bid, '-0.05');
        const placed = await ex.createOrder(symbol, 'limit', 'buy', amount, price);
        assert.equal(placed.status, 'new');
        assert.ok(placed.id !== undefined && placed.clientOrderId !== undefined);
        const truth = engine().order(key, symbol, { orderId: placed.id });
        assert.equal(truth?.status, 'new');
        assert.equal(truth?.clientOrderId, placed.clientOrderId);
        const fetched = await ex.fetchOrder(placed.id, symbol);
        assert.equal(fetched.status, 'new');
        assert.ok(fetched.price?.eq(price));
        assert.ok(fetched.amount.eq(amount));
        const open = await ex.fetchOpenOrders(symbol);
        assert.ok(open.some((o) => o.id === placed.id));
        const cancelled = await ex.cancelOrder(placed.id, symbol);
        assert.equal(cancelled.status, 'cancelled');
        assert.equal(engine().order(key, symbol, { orderId: placed.id })?.status, 'cancelled');
        assert.ok(!(await ex.fetchOpenOrders(symbol)).some((o) => o.id === placed.id));
      });

      test(`${kind}: an order with the user's client order id is cancelled by that id`, async () => {
        const { ask } = touch(sim, spec.venue, symbol);
        const clientOrderId = `vkSuite${kind}${Date.now() % 100000}`;
        const placed = await ex.createOrder(symbol, 'limit', 'sell', amount, away(ex, symbol, ask, '0.05'), { clientOrderId });
        assert.equal(placed.clientOrderId, clientOrderId);
        const cancelled = await ex.cancelOrder({ clientOrderId }, symbol);
        assert.equal(cancelled.status, 'cancelled');
        assert.equal(engine().order(key, symbol, { clientOrderId })?.status, 'cancelled');
      });

      test(`${kind}: a crossing order fills; stream and REST agree with the venue's fills`, async () => {
        const orders = collect(ex.watchOrders(symbol));
        const trades = collect(ex.watchMyTrades(symbol));
        const { ask } = touch(sim, spec.venue, symbol);
        const placed = await ex.createOrder(symbol, 'limit', 'buy', amount, away(ex, symbol, ask, '0.02'));
        await waitFor(() => ex.orders(symbol).find((o) => o.id === placed.id)?.status === 'filled', 'the crossing order to be filled', 8000);
        const truthFills = engine().fills(key, symbol).filter((f) => f.orderId === placed.id);
        assert.ok(truthFills.length >= 1);
        await waitFor(() => trades.items.filter((f) => f.orderId === placed.id).length === truthFills.length, 'every fill on watchMyTrades once', 8000);
        const mine = ex.orders(symbol).find((o) => o.id === placed.id) as Order;
        assert.ok(mine.filled.eq(amount));
        assert.ok(sumFills(mine.fills).eq(amount));
        assert.ok(orders.items.some((o) => o.id === placed.id && o.status === 'filled'));
        const rest = await ex.fetchMyTrades(symbol);
        for (const f of truthFills) assert.ok(rest.some((r) => r.tradeId === f.tradeId), `fetchMyTrades lacks ${f.tradeId}`);
        await orders.stop();
        await trades.stop();
        await assertFillsMatchTruth(symbol);
      });

      test(`${kind}: a market order fills at once`, async () => {
        const placed = await ex.createOrder(symbol, 'market', 'sell', amount);
        await waitFor(() => ex.orders(symbol).find((o) => o.clientOrderId === placed.clientOrderId)?.status === 'filled', 'the market order to be filled', 8000);
        await assertFillsMatchTruth(symbol);
      });
    }

    test('IOC, FOK and post-only: what cannot fill at once never rests, and no fill is invented', async () => {
      const { symbol, amount } = spec.spot;
      const { bid, ask } = touch(sim, spec.venue, symbol);
      const settled = async (p: Promise<Order>): Promise<Order | undefined> => {
        try {
          const o = await p;
          await waitFor(() => ['filled', 'cancelled', 'expired', 'rejected'].includes(ex.orders(symbol).find((x) => x.clientOrderId === o.clientOrderId)?.status ?? ''), `order ${o.clientOrderId} to end`, 8000);
          return ex.orders(symbol).find((x) => x.clientOrderId === o.clientOrderId);
        } catch (err) {
          // A venue may refuse it outright (Binance spot LIMIT_MAKER that would take: -2010).
          assert.ok(err instanceof VenueError && err.code === 'rejected', String(err));
          return undefined;
        }
      };
      const fok = await settled(ex.createOrder(symbol, 'limit', 'buy', amount, away(ex, symbol, bid, '-0.05'), { timeInForce: 'FOK' }));
      assert.ok(fok !== undefined && fok.fills.length === 0 && fok.status !== 'filled', `FOK far from the market: ${fok?.status}`);
      const ioc = await settled(ex.createOrder(symbol, 'limit', 'buy', amount, away(ex, symbol, ask, '0.02'), { timeInForce: 'IOC' }));
      assert.equal(ioc?.status, 'filled');
      const postOnly = await settled(ex.createOrder(symbol, 'limit', 'buy', amount, away(ex, symbol, ask, '0.02'), { postOnly: true }));
      if (postOnly !== undefined) assert.ok(postOnly.fills.length === 0 && ['cancelled', 'expired', 'rejected'].includes(postOnly.status), `post-only that would take: ${postOnly.status}`);
      assert.equal(engine().openOrders(key, symbol).length, 0, 'nothing rests');
      await assertFillsMatchTruth(symbol);
      await assertOrdersMatchTruth(symbol);
    });

    for (const fault of [{ kind: 'lose' } as const, { kind: 'garble' } as const]) {
      test(`a cancel whose answer is ${fault.kind === 'lose' ? 'lost' : 'cut short (unreadable)'} is settled by query: the order is cancelled once`, async () => {
        const { symbol, amount } = spec.derivative;
        const { bid } = touch(sim, spec.venue, symbol);
        const placed = await ex.createOrder(symbol, 'limit', 'buy', amount, away(ex, symbol, bid, '-0.05'));
        sim.tradingFaults.failAck(spec.venue, fault);
        const cancelled = await ex.cancelOrder(placed.id as string, symbol, { timeoutMs: 2000 });
        assert.equal(cancelled.status, 'cancelled');
        assert.equal(engine().order(key, symbol, { orderId: placed.id as string })?.status, 'cancelled');
        assert.equal(sim.tradingFaults.state().pendingAcks, 0);
      });
    }

    test('balances equal the venue truth, and watchBalance follows a fill', async () => {
      const b = await ex.fetchBalance();
      const truth = engine().balances(key);
      for (const t of truth) {
        const mine = b.balances[t.currency];
        if (mine === undefined) {
          assert.ok(t.free.add(t.locked).isZero(), `${t.currency} missing from fetchBalance`);
          continue;
        }
        assert.ok(mine.free.eq(t.free), `${t.currency} free ${mine.free} != ${t.free}`);
        assert.ok(mine.used.eq(t.locked), `${t.currency} used ${mine.used} != ${t.locked}`);
      }
      const updates = collect(ex.watchBalance());
      await ex.createOrder(spec.spot.symbol, 'market', 'buy', spec.spot.amount);
      await waitFor(() => updates.items.length > 0, 'a balance update after a fill', 8000);
      await updates.stop();
    });

    test('a derivatives fill opens a position that fetchPositions and watchPositions show', async () => {
      const { symbol, amount } = spec.derivative;
      const updates = collect(ex.watchPositions([symbol]));
      await ex.createOrder(symbol, 'market', 'buy', amount);
      await waitFor(() => updates.items.length > 0, 'a position update', 8000);
      const truth = engine().positions(key).find((p) => p.symbol === symbol);
      assert.ok(truth !== undefined);
      const positions = await ex.fetchPositions([symbol]);
      const p = positions.find((x) => x.symbol === symbol);
      const inst = sim.marketOf(spec.venue).instrument(symbol);
      if (truth.sizeUnits === 0) assert.equal(p, undefined);
      else {
        assert.ok(p !== undefined, 'fetchPositions lacks the position');
        assert.equal(p.side, truth.sizeUnits > 0 ? 'long' : 'short');
        assert.ok(p.contracts.eq(Decimal.fromScaled(Math.abs(truth.sizeUnits), inst.qtyScale)), `contracts ${p.contracts}`);
        assert.ok(p.entryPrice?.eq(truth.entryPrice), `entry ${p.entryPrice} != ${truth.entryPrice}`);
      }
      await updates.stop();
    });

    test('private events sent twice or out of order leave the right state and count no fill twice', async () => {
      const { symbol, amount } = spec.spot;
      sim.tradingFaults.shapeEvents(spec.venue, { kind: 'duplicate', count: 6 });
      const { ask } = touch(sim, spec.venue, symbol);
      const a = await ex.createOrder(symbol, 'limit', 'buy', amount, away(ex, symbol, ask, '0.02'));
      sim.tradingFaults.shapeEvents(spec.venue, { kind: 'reorder', count: 4 });
      const { bid } = touch(sim, spec.venue, symbol);
      const b = await ex.createOrder(symbol, 'limit', 'sell', amount, away(ex, symbol, bid, '-0.02'));
      await waitFor(() => [a, b].every((x) => ex.orders(symbol).find((o) => o.clientOrderId === x.clientOrderId)?.status === 'filled'), 'both orders filled', 8000);
      await assertFillsMatchTruth(symbol);
      await assertOrdersMatchTruth(symbol);
      sim.tradingFaults.clear();
    });

    const placeFaults = { lose: 'lost', 'timeout-after-accept': 'held past the timeout', garble: 'cut short (a 2xx that cannot be read)' } as const;
    for (const fault of [{ kind: 'lose' } as const, { kind: 'timeout-after-accept', ms: 1500 } as const, { kind: 'garble' } as const]) {
      test(`a place whose acknowledgement is ${placeFaults[fault.kind]} leaves exactly one order, resolved by query`, async () => {
        const { symbol, amount } = spec.spot;
        const before = engine().orders(key, symbol).length;
        sim.tradingFaults.failAck(spec.venue, fault);
        const { bid } = touch(sim, spec.venue, symbol);
        const placed = await ex.createOrder(symbol, 'limit', 'buy', amount, away(ex, symbol, bid, '-0.05'), { timeoutMs: 700 });
        assert.equal(engine().orders(key, symbol).length, before + 1, 'exactly one new order on the venue');
        assert.equal(placed.outcomeUnknown, false);
        assert.equal(placed.status, 'new');
        assert.equal(engine().order(key, symbol, { clientOrderId: placed.clientOrderId as string })?.orderId, placed.id);
        assert.equal(ex.orders(symbol).filter((o) => o.clientOrderId === placed.clientOrderId).length, 1);
        await ex.cancelOrder(placed.id as string, symbol);
      });
    }

    test('fills made while the private stream is down are not lost: reconciliation brings them in', async () => {
      const { symbol, amount } = spec.spot;
      const market = sim.marketOf(spec.venue);
      const inst = market.instrument(symbol);
      market.freeze(symbol, true);
      try {
        const trades = collect(ex.watchMyTrades(symbol));
        const snap = market.snapshot(symbol, 1);
        const [bid] = snap.bids;
        assert.ok(bid !== undefined);
        const joinPrice = Decimal.fromScaled(bid[0], inst.priceScale);
        const joining = await ex.createOrder(symbol, 'limit', 'buy', amount, joinPrice);
        const resting = await ex.createOrder(symbol, 'limit', 'buy', amount, away(ex, symbol, joinPrice, '-0.05'));
        const reconciled = new Promise<void>((r) => ex.events.once('reconciled', () => r()));
        assert.ok(spec.dropPrivate(sim) > 0, 'no private stream to drop');
        // While the stream is down: a taker trades through our bid, we cancel elsewhere, and an order placed by
        // another program with the same key fills.
        const ourUnits = Number(Decimal.from(amount).toScaledBigInt(inst.qtyScale));
        market.executeTaker(symbol, 'sell', bid[1] + 2 * ourUnits);
        engine().cancel(key, symbol, { orderId: resting.id as string });
        const { ask } = touch(sim, spec.venue, symbol);
        const foreign = engine().place({ apiKey: key, symbol, side: 'buy', type: 'limit', qtyUnits: ourUnits, priceUnits: Number(away(ex, symbol, ask, '0.02').toScaledBigInt(inst.priceScale)), clientOrderId: `vkElsewhere${Date.now() % 100000}` });
        assert.ok(foreign.fills.length > 0);
        assert.equal(engine().order(key, symbol, { orderId: joining.id as string })?.status, 'filled', 'the taker should have filled our bid');
        await reconciled;
        const mine = (id: string | undefined) => ex.orders(symbol).find((o) => o.id === id);
        await waitFor(() => mine(joining.id)?.status === 'filled' && mine(joining.id)?.fills.length === engine().fills(key, symbol).filter((f) => f.orderId === joining.id).length, 'the fill made while down to be on its order', 8000);
        await waitFor(() => mine(resting.id)?.status === 'cancelled', 'the cancel made while down to be seen', 8000);
        await waitFor(() => foreign.fills.every((f) => trades.items.some((t) => t.tradeId === f.tradeId)), "the other program's fills on watchMyTrades", 8000);
        for (const f of engine().fills(key, symbol).filter((x) => x.orderId === joining.id)) assert.equal(trades.items.filter((t) => t.tradeId === f.tradeId).length, 1, `fill ${f.tradeId} told once`);
        await trades.stop();
        await assertFillsMatchTruth(symbol);
      } finally {
        market.freeze(symbol, false);
      }
    });

    test('skips no frame of the simulator: no private frame was undecodable or unrecognized all suite long', () => {
      assert.deepEqual(skipped, []);
    });

    test('a wrong key is refused with an auth error on REST and on the private stream, and no secret appears in any error or event', async () => {
      const secret = 'vk-secret-that-must-never-leak';
      const bad = spec.connect(sim, { apiKey: 'not-a-key', secret, passphrase: 'vk-passphrase-never-leaks' });
      const said: string[] = [];
      bad.events.on('problem', (e) => said.push(`${e.context} ${e.error.message} ${JSON.stringify(e.error)}`));
      const auth = (e: unknown): boolean => {
        said.push(e instanceof Error ? `${e.message} ${JSON.stringify(e)} ${String(e.stack)}` : String(e));
        return e instanceof VenueError && e.code === 'auth';
      };
      try {
        await bad.loadMarkets();
        await assert.rejects(bad.fetchBalance(), auth);
        await assert.rejects(bad.startPrivateStreams(), auth);
        const before = engine().orders(key).length;
        await assert.rejects(bad.createOrder(spec.spot.symbol, 'limit', 'buy', spec.spot.amount, away(bad, spec.spot.symbol, touch(sim, spec.venue, spec.spot.symbol).bid, '-0.05')), auth);
        assert.equal(engine().orders(key).length, before);
        assert.ok(said.length >= 3);
        for (const text of said) assert.ok(!text.includes(secret) && !text.includes('vk-passphrase-never-leaks'), `a secret leaked: ${text}`);
      } finally {
        await bad.close();
      }
    });
  });
}
