/**
 * Per-symbol trade history for the simulator: recent trades, one-minute candles built from them, candles of
 * any supported interval and rolling 24 h statistics. Prices and sizes are integer units; volumes bigint.
 */

/** One executed trade, in the instrument's integer units. */
export interface SimTrade {
  readonly symbol: string;
  readonly id: number;
  readonly price: number;
  readonly qty: number;
  /** Aggressor side: `buy` means the taker lifted the ask. */
  readonly takerSide: 'buy' | 'sell';
  readonly time: number;
}

/** A candle in integer units. `count` 0 means no trade happened in it (prices carry the previous close). */
export interface SimCandle {
  readonly openTime: number;
  readonly closeTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Base volume in qty units. */
  readonly volume: bigint;
  /** Quote volume in `priceScale + qtyScale` units. */
  readonly quoteVolume: bigint;
  readonly count: number;
  readonly firstId: number;
  readonly lastId: number;
  readonly takerBuyVolume: bigint;
  readonly takerBuyQuoteVolume: bigint;
}

/** Rolling-window statistics (24 h by default) in integer units. */
export interface SimStats {
  readonly openTime: number;
  readonly closeTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly last: number;
  readonly lastQty: number;
  /** Close before the window opened (Binance `prevClosePrice`); equals `open` without earlier history. */
  readonly prevClose: number;
  readonly volume: bigint;
  readonly quoteVolume: bigint;
  readonly count: number;
  /** -1 when no trade is in the window (as Binance writes it). */
  readonly firstId: number;
  readonly lastId: number;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** Kline intervals the simulator serves (Binance spelling), in ms. Week and month candles are not served. */
export const INTERVAL_MS: Readonly<Record<string, number>> = {
  '1m': MINUTE_MS,
  '3m': 3 * MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': 60 * MINUTE_MS,
  '2h': 120 * MINUTE_MS,
  '4h': 240 * MINUTE_MS,
  '6h': 360 * MINUTE_MS,
  '8h': 480 * MINUTE_MS,
  '12h': 720 * MINUTE_MS,
  '1d': DAY_MS,
};

interface MutableCandle {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: bigint;
  quoteVolume: bigint;
  count: number;
  firstId: number;
  lastId: number;
  takerBuyVolume: bigint;
  takerBuyQuoteVolume: bigint;
}

/** Keeps the last `maxTrades` trades and about 25 h of minute candles for one symbol. */
export class TradeTape {
  private readonly trades: SimTrade[] = [];
  private readonly minutes: MutableCandle[] = [];
  private readonly maxTrades: number;
  private readonly maxMinutes: number;
  private last: SimTrade | undefined;

  constructor(maxTrades = 1000, maxMinutes = 1500) {
    this.maxTrades = maxTrades;
    this.maxMinutes = maxMinutes;
  }

  get lastTrade(): SimTrade | undefined {
    return this.last;
  }

  record(t: SimTrade): void {
    this.last = t;
    this.trades.push(t);
    if (this.trades.length > this.maxTrades * 2) this.trades.splice(0, this.trades.length - this.maxTrades);
    const openTime = t.time - (t.time % MINUTE_MS);
    let c = this.minutes[this.minutes.length - 1];
    if (c === undefined || c.openTime < openTime) {
      c = { openTime, open: t.price, high: t.price, low: t.price, close: t.price, volume: 0n, quoteVolume: 0n, count: 0, firstId: t.id, lastId: t.id, takerBuyVolume: 0n, takerBuyQuoteVolume: 0n };
      this.minutes.push(c);
      if (this.minutes.length > this.maxMinutes) this.minutes.shift();
    }
    if (t.price > c.high) c.high = t.price;
    if (t.price < c.low) c.low = t.price;
    c.close = t.price;
    const q = BigInt(t.qty);
    const quote = BigInt(t.price) * q;
    c.volume += q;
    c.quoteVolume += quote;
    c.count++;
    c.lastId = t.id;
    if (t.takerSide === 'buy') {
      c.takerBuyVolume += q;
      c.takerBuyQuoteVolume += quote;
    }
  }

  /** The most recent trades, oldest first (at most `limit`). */
  recentTrades(limit: number): SimTrade[] {
    return this.trades.slice(Math.max(0, this.trades.length - limit));
  }

  /**
   * Candles of `intervalMs` (aligned to the epoch, i.e. UTC), oldest first, covering `[startTime, endTime]`
   * when given, at most `limit` (the newest ones when no start is given). Intervals without trades are
   * filled with the previous close, as Binance does. Empty before the first trade.
   */
  candles(intervalMs: number, now: number, limit: number, startTime?: number, endTime?: number): SimCandle[] {
    const first = this.minutes[0];
    if (first === undefined) return [];
    const from = Math.max(startTime ?? -Infinity, first.openTime - (first.openTime % intervalMs));
    const to = Math.min(endTime ?? Infinity, now);
    const out: SimCandle[] = [];
    let mi = 0;
    let prevClose = first.open;
    let t0 = from - (from % intervalMs);
    if (t0 < from) t0 += intervalMs;
    if (startTime === undefined) {
      const newest = to - (to % intervalMs);
      t0 = Math.max(t0, newest - (limit - 1) * intervalMs);
    }
    // close price before t0
    while (mi < this.minutes.length && (this.minutes[mi] as MutableCandle).openTime < t0) prevClose = (this.minutes[mi++] as MutableCandle).close;
    for (let t = t0; t <= to && out.length < limit; t += intervalMs) {
      let agg: MutableCandle | undefined;
      while (mi < this.minutes.length && (this.minutes[mi] as MutableCandle).openTime < t + intervalMs) {
        const m = this.minutes[mi++] as MutableCandle;
        if (agg === undefined) agg = { ...m, openTime: t };
        else {
          if (m.high > agg.high) agg.high = m.high;
          if (m.low < agg.low) agg.low = m.low;
          agg.close = m.close;
          agg.volume += m.volume;
          agg.quoteVolume += m.quoteVolume;
          agg.count += m.count;
          agg.lastId = m.lastId;
          agg.takerBuyVolume += m.takerBuyVolume;
          agg.takerBuyQuoteVolume += m.takerBuyQuoteVolume;
        }
      }
      if (agg === undefined) {
        agg = { openTime: t, open: prevClose, high: prevClose, low: prevClose, close: prevClose, volume: 0n, quoteVolume: 0n, count: 0, firstId: -1, lastId: -1, takerBuyVolume: 0n, takerBuyQuoteVolume: 0n };
      }
      prevClose = agg.close;
      out.push({ ...agg, closeTime: t + intervalMs - 1 });
    }
    return out;
  }

  /** The candle of `intervalMs` that contains `now` (filled from the previous close when empty). */
  currentCandle(intervalMs: number, now: number): SimCandle | undefined {
    const start = now - (now % intervalMs);
    return this.candles(intervalMs, now, 1, start, now)[0];
  }

  /** Statistics over `(now - windowMs, now]`. Undefined before the first trade. */
  stats(now: number, windowMs = DAY_MS): SimStats | undefined {
    const last = this.last;
    if (last === undefined) return undefined;
    const from = now - windowMs;
    let open: number | undefined;
    let prevClose: number | undefined;
    let high = -Infinity;
    let low = Infinity;
    let volume = 0n;
    let quoteVolume = 0n;
    let count = 0;
    let firstId = -1;
    let lastId = -1;
    for (const m of this.minutes) {
      if (m.openTime + MINUTE_MS <= from) {
        prevClose = m.close;
        continue;
      }
      if (open === undefined) {
        open = m.open;
        firstId = m.firstId;
      }
      if (m.high > high) high = m.high;
      if (m.low < low) low = m.low;
      volume += m.volume;
      quoteVolume += m.quoteVolume;
      count += m.count;
      lastId = m.lastId;
    }
    if (open === undefined) {
      // No trade in the window: Binance reports the last price flat with zero volume.
      return { openTime: from, closeTime: now, open: last.price, high: last.price, low: last.price, last: last.price, lastQty: last.qty, prevClose: last.price, volume: 0n, quoteVolume: 0n, count: 0, firstId: -1, lastId: -1 };
    }
    return { openTime: from, closeTime: now, open, high, low, last: last.price, lastQty: last.qty, prevClose: prevClose ?? open, volume, quoteVolume, count, firstId, lastId };
  }
}
