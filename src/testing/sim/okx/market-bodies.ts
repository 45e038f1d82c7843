/**
 * The OKX front end's data records built from the market truth: instrument listings (`/public/instruments`),
 * ticker fields, candle rows (OKX bars, UTC+8 or UTC aligned, newest first). Shared by REST and WS.
 */
import { Decimal } from '../../../core/decimal.js';
import type { Market } from '../market.js';
import { MINUTE_MS, type SimCandle } from '../trade-tape.js';
import { decimalText, px, sz, trimDecimal, type OkxInstrument, type TickerFields } from './wire-format.js';

const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** OKX's default candles (6H and longer) open on Hong Kong time. */
const HK_OFFSET_MS = 8 * HOUR_MS;

/** OKX `bar` → [interval ms, alignment offset ms]. Weeks and months are not served. */
export const OKX_BARS: Readonly<Record<string, readonly [number, number]>> = {
  '1m': [MINUTE_MS, 0],
  '3m': [3 * MINUTE_MS, 0],
  '5m': [5 * MINUTE_MS, 0],
  '15m': [15 * MINUTE_MS, 0],
  '30m': [30 * MINUTE_MS, 0],
  '1H': [HOUR_MS, 0],
  '2H': [2 * HOUR_MS, 0],
  '4H': [4 * HOUR_MS, 0],
  '6H': [6 * HOUR_MS, HK_OFFSET_MS],
  '12H': [12 * HOUR_MS, HK_OFFSET_MS],
  '1D': [DAY_MS, HK_OFFSET_MS],
  '2D': [2 * DAY_MS, HK_OFFSET_MS],
  '3D': [3 * DAY_MS, HK_OFFSET_MS],
  '6Hutc': [6 * HOUR_MS, 0],
  '12Hutc': [12 * HOUR_MS, 0],
  '1Dutc': [DAY_MS, 0],
  '2Dutc': [2 * DAY_MS, 0],
  '3Dutc': [3 * DAY_MS, 0],
};

const LIST_TIME = '1606468572000';

/** One `/api/v5/public/instruments` record, field order of test/fixtures/okx/rest/instruments.json. */
export function instrumentRecord(w: OkxInstrument, index: number): Record<string, unknown> {
  const i = w.instrument;
  const spot = w.instType === 'SPOT';
  const maxSz = trimDecimal(i.maxQty);
  return {
    alias: w.instType === 'FUTURES' ? 'quarter' : '',
    auctionEndTime: '',
    baseCcy: spot ? i.base : '',
    category: '1',
    ctMult: spot ? '' : '1',
    ctType: w.ctType,
    ctVal: spot ? '' : trimDecimal(i.contractSize),
    ctValCcy: spot ? '' : i.inverse ? i.quote : i.base,
    contTdSwTime: LIST_TIME,
    expTime: w.expTime === undefined ? '' : String(w.expTime),
    futureSettlement: false,
    instFamily: w.uly,
    instId: w.instId,
    instType: w.instType,
    lever: spot ? '10' : '100',
    listTime: LIST_TIME,
    lotSz: trimDecimal(i.stepSize),
    maxIcebergSz: maxSz,
    maxLmtAmt: '20000000',
    maxLmtSz: maxSz,
    maxMktAmt: '1000000',
    maxMktSz: spot ? '' : maxSz,
    maxStopSz: spot ? '' : maxSz,
    maxTriggerSz: maxSz,
    maxTwapSz: maxSz,
    minSz: trimDecimal(i.minQty),
    optType: '',
    openType: '',
    quoteCcy: spot ? i.quote : '',
    tradeQuoteCcyList: spot ? [i.quote] : [],
    settleCcy: spot ? '' : (i.settle ?? ''),
    state: 'live',
    ruleType: 'normal',
    stk: '',
    tickSz: trimDecimal(i.tickSize),
    uly: w.uly,
    instIdCode: 1_000_000_000 + index,
  };
}

/** `num / den` (each an integer at its scale) truncated to `outScale` decimals, without trailing zeros. */
function ratioText(num: bigint, numScale: number, den: bigint, denScale: number, outScale = 8): string {
  if (den === 0n) return '0';
  const exp = outScale + denScale - numScale;
  const q = exp >= 0 ? (num * 10n ** BigInt(exp)) / den : num / (den * 10n ** BigInt(-exp));
  return decimalText(q, outScale);
}

/** Volumes as OKX writes them: `vol` (base for SPOT, contracts otherwise), `volCcy` (quote for SPOT, base otherwise), quote. */
export function volumes(w: OkxInstrument, volume: bigint, quoteVolume: bigint, lastPrice: number): { vol: string; volCcy: string; volCcyQuote: string } {
  const i = w.instrument;
  const quoteScale = i.priceScale + i.qtyScale;
  if (w.instType === 'SPOT') {
    const q = decimalText(quoteVolume, quoteScale);
    return { vol: sz(w, volume), volCcy: q, volCcyQuote: q };
  }
  const ct = Decimal.from(i.contractSize);
  const ctUnits = ct.toScaledBigInt(ct.scale);
  if (i.inverse) {
    // contracts × ctVal is quote (USD); in base that is USD / price.
    const usd = volume * ctUnits;
    const usdScale = i.qtyScale + ct.scale;
    return { vol: sz(w, volume), volCcy: ratioText(usd, usdScale, BigInt(lastPrice), i.priceScale), volCcyQuote: decimalText(usd, usdScale) };
  }
  return { vol: sz(w, volume), volCcy: decimalText(volume * ctUnits, i.qtyScale + ct.scale), volCcyQuote: decimalText(quoteVolume * ctUnits, quoteScale + ct.scale) };
}

/** Ticker fields at `now` (venue clock; `skew` = venue clock minus market clock). Empty prices before any trade. */
export function tickerFields(market: Market, w: OkxInstrument, now: number, skew: number): TickerFields {
  const symbol = w.instrument.symbol;
  const tape = market.tape(symbol);
  const book = market.book(symbol);
  const bid = book.bids.top(1)[0];
  const ask = book.asks.top(1)[0];
  const marketNow = now - skew;
  const s = tape.stats(marketNow);
  const quote = { askPx: ask === undefined ? '' : px(w, ask[0]), askSz: ask === undefined ? '0' : sz(w, ask[1]), bidPx: bid === undefined ? '' : px(w, bid[0]), bidSz: bid === undefined ? '0' : sz(w, bid[1]) };
  if (s === undefined) {
    return { last: '', lastSz: '', ...quote, open24h: '', high24h: '', low24h: '', volCcy24h: '0', vol24h: '0', sodUtc0: '', sodUtc8: '', ts: String(now) };
  }
  const v = volumes(w, s.volume, s.quoteVolume, s.last);
  const openAt = (start: number): string => px(w, tape.candles(MINUTE_MS, marketNow, 1, start, marketNow)[0]?.open ?? s.open);
  const utcDay = marketNow - (marketNow % DAY_MS);
  const hkDay = marketNow - ((marketNow + HK_OFFSET_MS) % DAY_MS);
  return {
    last: px(w, s.last),
    lastSz: sz(w, s.lastQty),
    ...quote,
    open24h: px(w, s.open),
    high24h: px(w, s.high),
    low24h: px(w, s.low),
    volCcy24h: v.volCcy,
    vol24h: v.vol,
    sodUtc0: openAt(utcDay),
    sodUtc8: openAt(hkDay),
    ts: String(now),
  };
}

/** Merges hour candles into `intervalMs` candles opening where `(t + offset) % intervalMs == 0`. */
function mergeCandles(hours: SimCandle[], intervalMs: number, offsetMs: number): SimCandle[] {
  const out: SimCandle[] = [];
  for (const h of hours) {
    const open = h.openTime - ((h.openTime + offsetMs) % intervalMs);
    const last = out[out.length - 1];
    if (last === undefined || last.openTime !== open) {
      out.push({ ...h, openTime: open, closeTime: open + intervalMs - 1 });
      continue;
    }
    out[out.length - 1] = {
      ...last,
      high: Math.max(last.high, h.high),
      low: Math.min(last.low, h.low),
      close: h.close,
      volume: last.volume + h.volume,
      quoteVolume: last.quoteVolume + h.quoteVolume,
      count: last.count + h.count,
      lastId: h.lastId,
      takerBuyVolume: last.takerBuyVolume + h.takerBuyVolume,
      takerBuyQuoteVolume: last.takerBuyQuoteVolume + h.takerBuyQuoteVolume,
    };
  }
  return out;
}

/**
 * Candle rows `[ts,o,h,l,c,vol,volCcy,volCcyQuote,confirm]`, newest first, at most `limit`: older than
 * `after` and newer than `before` when given (venue-clock ms).
 */
export function candleRows(market: Market, w: OkxInstrument, bar: readonly [number, number], now: number, skew: number, limit: number, after?: number, before?: number): string[][] {
  const [intervalMs, offsetMs] = bar;
  const tape = market.tape(w.instrument.symbol);
  const marketNow = now - skew;
  const end = after === undefined ? marketNow : Math.min(marketNow, after - skew - 1);
  const start = before === undefined ? undefined : before - skew + 1;
  const aligned = offsetMs === 0 || offsetMs % intervalMs === 0;
  let candles = aligned ? tape.candles(intervalMs, marketNow, 100_000, start, end) : mergeCandles(tape.candles(HOUR_MS, marketNow, 100_000, start, end), intervalMs, offsetMs);
  candles = candles.filter((c) => (start === undefined || c.openTime >= start) && c.openTime <= end).slice(-limit);
  return candles.reverse().map((c) => {
    const v = volumes(w, c.volume, c.quoteVolume, c.close);
    return [String(c.openTime + skew), px(w, c.open), px(w, c.high), px(w, c.low), px(w, c.close), v.vol, v.volCcy, v.volCcyQuote, c.closeTime < marketNow ? '1' : '0'];
  });
}
