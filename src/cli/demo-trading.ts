/**
 * The trading round of `venuekit demo`: on one venue of the embedded simulator, a post-only order that rests and is
 * cancelled by its client order id, a market order that fills, the fills and the balances that follow, all seen
 * through `watchOrders` and `watchMyTrades`, and checked against the simulator's own matching engine.
 */
import type { Exchange } from '../client/exchange.js';
import { Decimal } from '../core/decimal.js';
import type { Market } from '../core/model.js';
import type { Fill, Order } from '../core/orders/order-model.js';
import type { Simulator } from '../testing/sim/server.js';
import { SIM_DEMO_ACCOUNT } from '../testing/sim/server.js';

export interface TradeRoundResult {
  readonly orders: number;
  readonly fills: number;
  /** Orders and fills the client believes in that the venue does not hold, and the reverse (0 when consistent). */
  readonly mismatches: number;
}

/** A price as the market quotes it: at its price precision (`64999.96`, not `64999.960000000000`); `-` when absent. */
export function priceText(market: Market, price: Decimal | undefined): string {
  return price === undefined ? '-' : price.toScale(market.precision.price).toString();
}

/** Runs one round on `symbol`; prints what happens; returns what it checked. */
export async function tradeRound(ex: Exchange, sim: Simulator, symbol: string, amount: string, say: (line: string) => void, signal: AbortSignal): Promise<TradeRoundResult> {
  const venue = ex.id;
  const seen: Order[] = [];
  const fills: Fill[] = [];
  const orders = ex.watchOrders(symbol, { signal });
  const trades = ex.watchMyTrades(symbol, { signal });
  const pump = Promise.all([(async () => { for await (const o of orders) seen.push(o); })(), (async () => { for await (const f of trades) fills.push(f); })()]).catch(() => undefined);
  try {
    await ex.startPrivateStreams(signal);
    const market = ex.market(symbol);
    const ticker = await ex.fetchTicker(symbol, { signal });
    const bid = ticker.bid ?? ticker.last ?? Decimal.ONE;
    const price = bid.sub(bid.mul('0.03')).quantize(market.tickSize, 'down');
    const resting = await ex.createOrder(symbol, 'limit', 'buy', amount, price, { postOnly: true, signal });
    say(`${venue}: post-only buy ${amount} ${symbol} @ ${priceText(market, price)} is ${resting.status} (id ${resting.id}, client id ${resting.clientOrderId})`);
    const cancelled = await ex.cancelOrder({ clientOrderId: resting.clientOrderId as string }, symbol, { signal });
    say(`${venue}: cancelled by client order id -> ${cancelled.status}`);
    const taken = await ex.createOrder(symbol, 'market', 'buy', amount, undefined, { signal });
    const deadline = Date.now() + 3000;
    while (fills.filter((f) => f.orderId === taken.id).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const mine = fills.filter((f) => f.orderId === taken.id);
    const final = ex.orders(symbol).find((o) => o.id === taken.id);
    say(`${venue}: market buy ${amount} ${symbol} -> ${final?.status ?? taken.status}, ${mine.length} fill(s) on the private stream, average ${priceText(market, final?.average)}`);
    const balance = await ex.fetchBalance({ signal });
    const quote = balance.balances[market.quote];
    say(`${venue}: ${market.quote} free ${quote?.free ?? '-'} used ${quote?.used ?? '-'} (exact), ${seen.length} order updates seen`);
    // The client's belief against the venue's truth.
    const engine = sim.tradingOf(venue);
    const truthOrders = engine.orders(SIM_DEMO_ACCOUNT.apiKey, symbol);
    const truthFills = engine.fills(SIM_DEMO_ACCOUNT.apiKey, symbol);
    let mismatches = 0;
    for (const t of truthOrders) if (!ex.orders(symbol).some((o) => o.id === t.orderId && o.status === t.status)) mismatches++;
    const believed = new Set(ex.orders(symbol).flatMap((o) => o.fills.map((f) => f.tradeId)));
    for (const f of truthFills) if (!believed.has(f.tradeId)) mismatches++;
    mismatches += Math.max(0, believed.size - truthFills.length);
    return { orders: truthOrders.length, fills: truthFills.length, mismatches };
  } finally {
    await orders.return?.();
    await trades.return?.();
    await pump;
  }
}
