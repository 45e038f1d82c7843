/**
 * The Bybit front end's ticker and candle values from the market truth (24 h stats, best levels, last trade),
 * as Bybit-written strings, and the field lists each category's ticker carries (REST and WS, fixture order).
 */
import { formatUnits } from '../binance/wire-format.js';
import type { Market } from '../market.js';
import type { SimCandle } from '../trade-tape.js';
import { px, sz, trimZeros, type BybitSymbol } from './wire-format.js';

/** WS `tickers` fields: spot (`ticker-spot.json`), perpetuals (`tickers-linear-snapshot-then-delta-recorded.jsonl`), futures. */
const WS_SPOT = ['symbol', 'lastPrice', 'highPrice24h', 'lowPrice24h', 'prevPrice24h', 'volume24h', 'turnover24h', 'price24hPcnt', 'usdIndexPrice'];
const WS_PERP = ['symbol', 'tickDirection', 'price24hPcnt', 'lastPrice', 'prevPrice24h', 'highPrice24h', 'lowPrice24h', 'prevPrice1h', 'markPrice', 'indexPrice', 'openInterest', 'openInterestValue', 'turnover24h', 'volume24h', 'nextFundingTime', 'fundingRate', 'bid1Price', 'bid1Size', 'ask1Price', 'ask1Size', 'preOpenPrice', 'preQty', 'curPreListingPhase'];
const WS_FUTURE = ['symbol', 'tickDirection', 'price24hPcnt', 'lastPrice', 'prevPrice24h', 'highPrice24h', 'lowPrice24h', 'prevPrice1h', 'markPrice', 'indexPrice', 'openInterest', 'openInterestValue', 'turnover24h', 'volume24h', 'deliveryTime', 'basisRate', 'deliveryFeeRate', 'predictedDeliveryPrice', 'basis', 'basisRateYear', 'nextFundingTime', 'fundingRate', 'bid1Price', 'bid1Size', 'ask1Price', 'ask1Size'];
/** REST `/v5/market/tickers` list items: spot (`tickers-spot.json`), linear (`tickers-linear-recorded.json`), inverse extras. */
const REST_SPOT = ['symbol', 'bid1Price', 'bid1Size', 'ask1Price', 'ask1Size', 'lastPrice', 'prevPrice24h', 'price24hPcnt', 'highPrice24h', 'lowPrice24h', 'turnover24h', 'volume24h', 'usdIndexPrice'];
const REST_DERIV = ['symbol', 'lastPrice', 'indexPrice', 'markPrice', 'prevPrice24h', 'price24hPcnt', 'highPrice24h', 'lowPrice24h', 'prevPrice1h', 'openInterest', 'openInterestValue', 'turnover24h', 'volume24h', 'fundingRate', 'nextFundingTime', 'predictedDeliveryPrice', 'basisRate', 'deliveryFeeRate', 'deliveryTime', 'ask1Size', 'bid1Price', 'ask1Price', 'bid1Size', 'basis', 'preOpenPrice', 'preQty', 'curPreListingPhase'];
const REST_INVERSE_EXTRA = ['fundingIntervalHour', 'basisRateYear', 'fundingCap'];

export function wsTickerFields(s: BybitSymbol): readonly string[] {
  if (s.category === 'spot') return WS_SPOT;
  return s.instrument.expiry === undefined ? WS_PERP : WS_FUTURE;
}

export function restTickerFields(s: BybitSymbol): readonly string[] {
  if (s.category === 'spot') return REST_SPOT;
  return s.category === 'inverse' ? [...REST_DERIV, ...REST_INVERSE_EXTRA] : REST_DERIV;
}

/** `num / den` as a decimal string with `decimals` decimals, truncated toward zero (bigint arithmetic). */
export function ratio(num: bigint, den: bigint, decimals: number): string {
  if (den === 0n) return formatUnits(0, 0, decimals);
  const neg = num < 0n !== den < 0n && num !== 0n;
  const abs = (v: bigint): bigint => (v < 0n ? -v : v);
  const q = (abs(num) * 10n ** BigInt(decimals)) / abs(den);
  return (neg && q !== 0n ? '-' : '') + formatUnits(q, decimals, decimals);
}

const FUNDING_MS = 8 * 3_600_000;

/** Every ticker value of a symbol now, Bybit-written; pick fields with `wsTickerFields` / `restTickerFields`. */
export function tickerValues(market: Market, s: BybitSymbol, now: number, direction: string): Record<string, string> {
  const i = s.instrument;
  const symbol = i.symbol;
  const tape = market.tape(symbol);
  const day = tape.stats(now);
  const hour = tape.stats(now, 3_600_000);
  const book = market.book(symbol);
  const bid = book.bids.top(1)[0] ?? [0, 0];
  const ask = book.asks.top(1)[0] ?? [0, 0];
  // Mid rounded down to a tick (integer units), the mark and index price; the last price before any trade.
  const mid = Math.floor((bid[0] + ask[0]) / (2 * i.tickUnits)) * i.tickUnits;
  const last = day?.last ?? mid;
  const open = day?.open ?? last;
  const spot = s.category === 'spot';
  const volume = day?.volume ?? 0n;
  const quoteScale = i.priceScale + i.qtyScale;
  // Inverse contracts trade USD value: volume in contracts, turnover in the base coin (contracts × size / price).
  const contract = BigInt(trimZeros(i.contractSize).replace('.', ''));
  const turnover = i.inverse ? ratio(volume * contract * 10n ** BigInt(i.priceScale), BigInt(Math.max(1, last)), 4) : formatUnits(day?.quoteVolume ?? 0n, quoteScale, spot ? Math.min(8, quoteScale) : 4);
  const openInterestUnits = BigInt(i.typicalQtyUnits) * 25_000n;
  const oiValue = i.inverse ? ratio(openInterestUnits * contract * 10n ** BigInt(i.priceScale), BigInt(Math.max(1, mid)), 2) : formatUnits((openInterestUnits * BigInt(mid)) / 10n ** BigInt(Math.max(0, quoteScale - 2)), 2, 2);
  const pctDecimals = spot ? 4 : 6;
  const nextFunding = String(now - (now % FUNDING_MS) + FUNDING_MS);
  const future = i.expiry !== undefined;
  const v: Record<string, string> = {
    symbol: s.id,
    tickDirection: direction,
    lastPrice: px(s, last),
    prevPrice24h: px(s, open),
    price24hPcnt: spot ? trimZeros(ratio(BigInt(last - open), BigInt(Math.max(1, open)), pctDecimals)) : ratio(BigInt(last - open), BigInt(Math.max(1, open)), pctDecimals),
    highPrice24h: px(s, day?.high ?? last),
    lowPrice24h: px(s, day?.low ?? last),
    prevPrice1h: px(s, hour?.open ?? last),
    markPrice: px(s, mid),
    indexPrice: px(s, mid),
    usdIndexPrice: trimZeros(formatUnits(mid, i.priceScale, i.priceScale)),
    openInterest: sz(s, openInterestUnits),
    openInterestValue: oiValue,
    volume24h: spot ? sz(s, volume) : formatUnits(volume, i.qtyScale, Math.max(4, i.qtyScale)),
    turnover24h: spot ? trimZeros(turnover) : turnover,
    fundingRate: future ? '' : '0.0001',
    nextFundingTime: future ? '' : nextFunding,
    fundingIntervalHour: '8',
    fundingCap: '0.005',
    bid1Price: px(s, bid[0]),
    bid1Size: sz(s, bid[1]),
    ask1Price: px(s, ask[0]),
    ask1Size: sz(s, ask[1]),
    predictedDeliveryPrice: '',
    basisRate: future ? '0' : '',
    basisRateYear: future ? '0' : '',
    basis: future ? px(s, 0) : '',
    deliveryFeeRate: future ? '0' : '',
    deliveryTime: future ? new Date(i.expiry as number).toISOString().replace('.000Z', 'Z') : '0',
    preOpenPrice: '',
    preQty: '',
    curPreListingPhase: '',
  };
  return v;
}

/** A kline item for WS (`kline.json`): `start,end,interval,open,close,high,low,volume,turnover,confirm,timestamp`. */
export function wsCandle(s: BybitSymbol, c: SimCandle, interval: string, now: number): string {
  const i = s.instrument;
  const turnover = trimZeros(formatUnits(c.quoteVolume, i.priceScale + i.qtyScale, i.priceScale + i.qtyScale));
  return `{"start":${c.openTime},"end":${c.closeTime},"interval":"${interval}","open":"${px(s, c.open)}","close":"${px(s, c.close)}","high":"${px(s, c.high)}","low":"${px(s, c.low)}","volume":"${sz(s, c.volume)}","turnover":"${turnover}","confirm":${now > c.closeTime},"timestamp":${now}}`;
}

/** A kline row for REST (`kline.json`): `[start, open, high, low, close, volume, turnover]`, all strings. */
export function restCandle(s: BybitSymbol, c: SimCandle): string[] {
  const i = s.instrument;
  const t = (u: number | bigint, scale: number): string => trimZeros(formatUnits(u, scale, scale));
  return [String(c.openTime), t(c.open, i.priceScale), t(c.high, i.priceScale), t(c.low, i.priceScale), t(c.close, i.priceScale), t(c.volume, i.qtyScale), t(c.quoteVolume, i.priceScale + i.qtyScale)];
}
