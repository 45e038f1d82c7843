/**
 * Simulator fee fidelity on every venue's front end (spot and derivatives): the fees a client sums over the fills it
 * received (on `watchMyTrades` and from `fetchMyTrades`) are exactly what left its balance. A front end that writes a
 * fee rounded while its ledger charges the exact value (Binance USD-M wrote 8 decimals of a 12-decimal charge) fails
 * here. Amounts are chosen so that fees carry more decimals than the venues write.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { binance } from '../../src/client/binance.js';
import { bybit } from '../../src/client/bybit.js';
import type { Exchange } from '../../src/client/exchange.js';
import { okx } from '../../src/client/okx.js';
import { Decimal } from '../../src/core/decimal.js';
import { VenueError } from '../../src/core/errors.js';
import type { VenueId } from '../../src/core/model.js';
import type { Fill } from '../../src/core/orders/order-model.js';
import type { Credentials } from '../../src/core/venue.js';
import { SIM_DEMO_ACCOUNT, startSimulator, type Simulator } from '../../src/testing/sim/server.js';
import { waitFor } from '../helpers/wait.js';

const DEMO: Credentials = { apiKey: SIM_DEMO_ACCOUNT.apiKey, secret: SIM_DEMO_ACCOUNT.secret, ...(SIM_DEMO_ACCOUNT.passphrase === undefined ? {} : { passphrase: SIM_DEMO_ACCOUNT.passphrase }) };
const ROUND_TRIPS = 3;
const BACKOFF = { streams: { backoff: { initialMs: 20, maxMs: 200 } } };

interface Case {
  readonly venue: VenueId;
  readonly symbol: string;
  /** An amount on the market's step whose fees need more decimals than the venue writes. */
  readonly amount: string;
  /** The `fetchBalance` account that holds the money of `symbol`. */
  readonly account: string;
  readonly kind: 'spot' | 'linear' | 'inverse';
}

const CASES: readonly Case[] = [
  { venue: 'binance', symbol: 'BTC/USDT', amount: '0.00123', account: 'spot', kind: 'spot' },
  { venue: 'binance', symbol: 'ETH/USDT:USDT', amount: '0.137', account: 'usdm', kind: 'linear' },
  { venue: 'bybit', symbol: 'BTC/USDT', amount: '0.00123', account: 'unified', kind: 'spot' },
  { venue: 'bybit', symbol: 'ETH/USDT:USDT', amount: '0.137', account: 'unified', kind: 'linear' },
  { venue: 'bybit', symbol: 'BTC/USD:BTC', amount: '137', account: 'unified', kind: 'inverse' },
  { venue: 'okx', symbol: 'BTC/USDT', amount: '0.00123', account: 'trading', kind: 'spot' },
  { venue: 'okx', symbol: 'ETH/USDT:USDT', amount: '0.137', account: 'trading', kind: 'linear' },
  { venue: 'okx', symbol: 'BTC/USD:BTC', amount: '13', account: 'trading', kind: 'inverse' },
];

function connect(sim: Simulator, venue: VenueId): Exchange {
  if (venue === 'binance') return binance({ urls: sim.endpoints.binance, credentials: DEMO, ...BACKOFF });
  if (venue === 'bybit') {
    const urls = sim.endpoints.bybit;
    if (urls === undefined) throw new VenueError('not-found', 'the simulator serves no Bybit');
    return bybit({ urls, credentials: DEMO, ...BACKOFF });
  }
  const urls = sim.endpoints.okx;
  if (urls === undefined) throw new VenueError('not-found', 'the simulator serves no OKX');
  return okx({ urls, credentials: DEMO, ...BACKOFF });
}

/** Totals by currency of one account, as the client sees them. */
async function totals(ex: Exchange, account: string): Promise<Map<string, Decimal>> {
  const b = await ex.fetchBalance({ account });
  return new Map(Object.entries(b.balances).map(([c, e]) => [c, e.total]));
}

function add(m: Map<string, Decimal>, currency: string, d: Decimal): void {
  m.set(currency, (m.get(currency) ?? Decimal.ZERO).add(d));
}

/** The fees of `fills` by currency (a rebate is negative). */
function feesOf(fills: readonly Fill[]): Map<string, Decimal> {
  const m = new Map<string, Decimal>();
  for (const f of fills) {
    assert.ok(f.fee !== undefined && f.feeCurrency !== undefined && f.feeCurrency !== '', `fill ${f.tradeId} carries no fee`);
    add(m, f.feeCurrency, f.fee);
  }
  return m;
}

describe('simulator fees: what the fills say was charged is what left the balance', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ symbols: [...new Set(CASES.map((c) => c.symbol))] });
  });

  after(async () => {
    await sim.close();
  });

  for (const c of CASES) {
    test(`${c.venue} ${c.kind} ${c.symbol}: a maker buy and a taker sell of ${c.amount}; the fees summed over the fills equal the balance change`, async () => {
      await using ex = connect(sim, c.venue);
      await ex.loadMarkets();
      await ex.startPrivateStreams();
      const m = ex.market(c.symbol);
      const market = sim.marketOf(c.venue);
      const engine = sim.tradingOf(c.venue);
      const inst = market.instrument(c.symbol);
      const streamed: Fill[] = [];
      const trades = ex.watchMyTrades(c.symbol);
      const reading = (async () => {
        for await (const f of trades) streamed.push(f);
      })();
      const before = await totals(ex, c.account);
      market.freeze(c.symbol, true);
      try {
        const ids = new Set<string | undefined>();
        const units = Number(Decimal.from(c.amount).toScaledBigInt(inst.qtyScale));
        // Rounding a fee is off by at most half a digit: several round trips make a per-fill rounding add up.
        for (let trip = 0; trip < ROUND_TRIPS; trip++) {
          // Maker: join the best bid, then a taker of the market sells through it.
          const [bid] = market.snapshot(c.symbol, 1).bids;
          assert.ok(bid !== undefined);
          const maker = await ex.createOrder(c.symbol, 'limit', 'buy', c.amount, Decimal.fromScaled(bid[0], inst.priceScale));
          market.executeTaker(c.symbol, 'sell', bid[1] + 2 * units);
          await waitFor(() => engine.order(DEMO.apiKey, c.symbol, { orderId: maker.id as string })?.status === 'filled', 'the maker buy to fill');
          // Taker: sell it all back (derivatives end flat).
          const taker = await ex.createOrder(c.symbol, 'market', 'sell', c.amount);
          await waitFor(() => engine.order(DEMO.apiKey, c.symbol, { orderId: taker.id as string })?.status === 'filled', 'the taker sell to fill');
          ids.add(maker.id).add(taker.id);
        }
        const truth = engine.fills(DEMO.apiKey, c.symbol).filter((f) => ids.has(f.orderId));
        assert.ok(truth.some((f) => f.liquidity === 'maker') && truth.some((f) => f.liquidity === 'taker'), 'maker and taker fills');
        await waitFor(() => truth.every((t) => streamed.some((f) => f.tradeId === t.tradeId)), 'every fill on watchMyTrades', 8000);
        const rested = (await ex.fetchMyTrades(c.symbol)).filter((f) => ids.has(f.orderId));
        assert.equal(rested.length, truth.length, 'fetchMyTrades has every fill');
        const received = streamed.filter((f) => ids.has(f.orderId));
        assert.equal(received.length, truth.length, 'each fill once on the stream');

        // What the fills say moved: traded value (spot: both legs; linear: the realized PnL of the round trip) minus fees.
        const expected = new Map<string, Decimal>();
        const contractSize = m.contractSize ?? Decimal.ONE;
        if (c.kind === 'spot') {
          for (const f of received) {
            const sign = f.side === 'buy' ? Decimal.ONE : Decimal.ONE.neg();
            add(expected, m.base, f.amount.mul(sign));
            add(expected, m.quote, f.price.mul(f.amount).mul(sign).neg());
          }
        } else if (c.kind === 'linear') {
          // Each round trip opens at one price (the maker's) and closes in full: the realized PnL is the sum of the signed notionals.
          for (const id of ids) assert.ok(new Set(received.filter((f) => f.orderId === id && f.side === 'buy').map((f) => f.price.toString())).size <= 1, 'each position opened at one price');
          for (const f of received) add(expected, m.settle as string, f.price.mul(f.amount).mul(contractSize).mul(f.side === 'sell' ? Decimal.ONE : Decimal.ONE.neg()));
        } else {
          // Inverse PnL is the venue's division; taken from the venue's own position record.
          const p = engine.positions(DEMO.apiKey).find((x) => x.symbol === c.symbol);
          assert.ok(p !== undefined && p.sizeUnits === 0, 'flat after the round trip');
          add(expected, m.settle as string, p.realizedPnl);
        }
        for (const source of [received, rested]) {
          const fees = feesOf(source);
          const want = new Map(expected);
          for (const [currency, fee] of fees) add(want, currency, fee.neg());
          await waitFor(async () => {
            const after = await totals(ex, c.account);
            return [...want].every(([currency, d]) => (after.get(currency) ?? Decimal.ZERO).sub(before.get(currency) ?? Decimal.ZERO).eq(d));
          }, 'the balance to settle', 4000).catch(() => undefined);
          const after = await totals(ex, c.account);
          for (const [currency, d] of want) {
            const moved = (after.get(currency) ?? Decimal.ZERO).sub(before.get(currency) ?? Decimal.ZERO);
            assert.ok(moved.eq(d), `${currency}: the balance moved ${moved.toString()}, the fills say ${d.toString()} (fees ${fees.get(currency)?.toString() ?? '0'})`);
          }
        }
        // The orders' fee sums are the fills' sums.
        const orderFees = new Map<string, Decimal>();
        for (const o of ex.orders(c.symbol).filter((x) => ids.has(x.id))) for (const [currency, fee] of Object.entries(o.fees)) add(orderFees, currency, fee);
        for (const [currency, fee] of feesOf(received)) assert.ok(orderFees.get(currency)?.eq(fee), `${currency}: orders' fees ${orderFees.get(currency)?.toString()} != fills' ${fee.toString()}`);
      } finally {
        market.freeze(c.symbol, false);
        await trades.return?.();
        await reading;
      }
    });
  }
});
