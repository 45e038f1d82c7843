/**
 * How the Binance front end writes numbers and stream frames: spot writes every price and size with 8
 * decimals, USD-M with the contract's own decimals; frames keep Binance's field order and types exactly
 * (see test/fixtures/binance/ws). Pure string building from integer units, never through a float.
 */
import type { Instrument } from '../instruments.js';
import type { SimCandle, SimStats, SimTrade } from '../trade-tape.js';

export type BinanceSegment = 'spot' | 'usdm';

/** One instrument as this front end names and writes it. */
export interface WireSymbol {
  /** Venue id, e.g. `BTCUSDT`. */
  readonly id: string;
  /** Lowercase id used in stream names. */
  readonly lower: string;
  readonly segment: BinanceSegment;
  readonly instrument: Instrument;
  /** Decimals written for prices and sizes (spot: always 8). */
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
}

export function wireSymbol(instrument: Instrument, segment: BinanceSegment): WireSymbol {
  const id = instrument.symbol.split(':')[0]?.replace('/', '') ?? instrument.symbol;
  return {
    id,
    lower: id.toLowerCase(),
    segment,
    instrument,
    priceDecimals: segment === 'spot' ? Math.max(8, instrument.priceScale) : instrument.priceScale,
    qtyDecimals: segment === 'spot' ? Math.max(8, instrument.qtyScale) : instrument.qtyScale,
  };
}

/** Writes a non-negative integer count of `10^-scale` units with exactly `decimals` decimals (truncating). */
export function formatUnits(units: number | bigint, scale: number, decimals: number): string {
  let digits = units.toString();
  const neg = digits.startsWith('-');
  if (neg) digits = digits.slice(1);
  let int: string;
  let frac: string;
  if (scale === 0) {
    int = digits;
    frac = '';
  } else {
    digits = digits.padStart(scale + 1, '0');
    int = digits.slice(0, digits.length - scale);
    frac = digits.slice(digits.length - scale);
  }
  if (decimals > frac.length) frac += '0'.repeat(decimals - frac.length);
  else if (decimals < frac.length) frac = frac.slice(0, decimals);
  return (neg ? '-' : '') + (decimals > 0 ? `${int}.${frac}` : int);
}

export function price(w: WireSymbol, units: number): string {
  return formatUnits(units, w.instrument.priceScale, w.priceDecimals);
}

export function qty(w: WireSymbol, units: number | bigint): string {
  return formatUnits(units, w.instrument.qtyScale, w.qtyDecimals);
}

/** A quote amount (price × size units, scale `priceScale + qtyScale`) with the price's decimals. */
export function quote(w: WireSymbol, units: bigint): string {
  return formatUnits(units, w.instrument.priceScale + w.instrument.qtyScale, w.priceDecimals);
}

/** Levels as Binance's `[["price","qty"],...]` JSON text. */
export function levelsJson(w: WireSymbol, levels: ReadonlyArray<readonly [number, number]>): string {
  let out = '[';
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i] as readonly [number, number];
    out += `${i === 0 ? '' : ','}["${price(w, l[0])}","${qty(w, l[1])}"]`;
  }
  return out + ']';
}

/** A diff-depth event (`depthUpdate`): spot `e,E,s,U,u,b,a`; USD-M `e,E,T,s,U,u,pu,b,a`. */
export function depthUpdateFrame(w: WireSymbol, e: { eventTime: number; txTime: number; firstId: number; lastId: number; prevId: number; bids: ReadonlyArray<readonly [number, number]>; asks: ReadonlyArray<readonly [number, number]> }): string {
  if (w.segment === 'spot') {
    return `{"e":"depthUpdate","E":${e.eventTime},"s":"${w.id}","U":${e.firstId},"u":${e.lastId},"b":${levelsJson(w, e.bids)},"a":${levelsJson(w, e.asks)}}`;
  }
  return `{"e":"depthUpdate","E":${e.eventTime},"T":${e.txTime},"s":"${w.id}","U":${e.firstId},"u":${e.lastId},"pu":${e.prevId},"b":${levelsJson(w, e.bids)},"a":${levelsJson(w, e.asks)}}`;
}

/** Partial book (`@depth<N>`): spot `{lastUpdateId,bids,asks}`; USD-M a `depthUpdate` with the top N. */
export function partialDepthFrame(w: WireSymbol, e: { eventTime: number; txTime: number; firstId: number; lastId: number; prevId: number; bids: ReadonlyArray<readonly [number, number]>; asks: ReadonlyArray<readonly [number, number]> }): string {
  if (w.segment === 'spot') return `{"lastUpdateId":${e.lastId},"bids":${levelsJson(w, e.bids)},"asks":${levelsJson(w, e.asks)}}`;
  return depthUpdateFrame(w, e);
}

export function tradeFrame(w: WireSymbol, t: SimTrade, eventTime: number, tradeTime: number): string {
  const m = t.takerSide === 'sell';
  if (w.segment === 'spot') return `{"e":"trade","E":${eventTime},"s":"${w.id}","t":${t.id},"p":"${price(w, t.price)}","q":"${qty(w, t.qty)}","T":${tradeTime},"m":${m},"M":true}`;
  return `{"e":"trade","E":${eventTime},"T":${tradeTime},"s":"${w.id}","t":${t.id},"p":"${price(w, t.price)}","q":"${qty(w, t.qty)}","X":"MARKET","m":${m}}`;
}

export function aggTradeFrame(w: WireSymbol, t: SimTrade, aggId: number, eventTime: number, tradeTime: number): string {
  const m = t.takerSide === 'sell';
  if (w.segment === 'spot') return `{"e":"aggTrade","E":${eventTime},"s":"${w.id}","a":${aggId},"p":"${price(w, t.price)}","q":"${qty(w, t.qty)}","f":${t.id},"l":${t.id},"T":${tradeTime},"m":${m},"M":true}`;
  return `{"e":"aggTrade","E":${eventTime},"a":${aggId},"s":"${w.id}","p":"${price(w, t.price)}","q":"${qty(w, t.qty)}","f":${t.id},"l":${t.id},"T":${tradeTime},"m":${m}}`;
}

/** Best bid/offer: spot `u,s,b,B,a,A`; USD-M `e,u,s,b,B,a,A,T,E`. */
export function bookTickerFrame(w: WireSymbol, updateId: number, bid: readonly [number, number], ask: readonly [number, number], eventTime: number): string {
  const body = `"u":${updateId},"s":"${w.id}","b":"${price(w, bid[0])}","B":"${qty(w, bid[1])}","a":"${price(w, ask[0])}","A":"${qty(w, ask[1])}"`;
  if (w.segment === 'spot') return `{${body}}`;
  return `{"e":"bookTicker",${body},"T":${eventTime},"E":${eventTime}}`;
}

export function klineFrame(w: WireSymbol, interval: string, c: SimCandle, closed: boolean, eventTime: number, skewMs: number): string {
  return `{"e":"kline","E":${eventTime},"s":"${w.id}","k":{"t":${c.openTime + skewMs},"T":${c.closeTime + skewMs},"s":"${w.id}","i":"${interval}","f":${c.firstId},"L":${c.lastId},"o":"${price(w, c.open)}","c":"${price(w, c.close)}","h":"${price(w, c.high)}","l":"${price(w, c.low)}","v":"${qty(w, c.volume)}","n":${c.count},"x":${closed},"q":"${quote(w, c.quoteVolume)}","V":"${qty(w, c.takerBuyVolume)}","Q":"${quote(w, c.takerBuyQuoteVolume)}","B":"0"}}`;
}

/** Price change and percent (3 decimals) from integer units, exact. */
export function change(w: WireSymbol, s: SimStats): { change: string; percent: string; vwap: string } {
  const diff = s.last - s.open;
  const sign = diff < 0 ? '-' : '';
  const abs = Math.abs(diff);
  // percent × 1000, rounded half away from zero, in bigint
  const num = BigInt(abs) * 100_000n;
  const den = BigInt(s.open);
  const pct = den === 0n ? 0n : (num * 2n + den) / (den * 2n);
  const percent = `${sign}${formatUnits(pct, 3, 3)}`;
  const vwapUnits = s.volume === 0n ? 0n : s.quoteVolume / s.volume;
  return { change: `${sign}${price(w, abs)}`, percent: percent === '-0.000' ? '0.000' : percent, vwap: price(w, Number(vwapUnits)) };
}

/** `24hrTicker` event: spot `e,E,s,p,P,w,x,c,Q,b,B,a,A,o,h,l,v,q,O,C,F,L,n`; USD-M without `x,b,B,a,A`. */
export function tickerFrame(w: WireSymbol, s: SimStats, bid: readonly [number, number] | undefined, ask: readonly [number, number] | undefined, eventTime: number, skewMs: number): string {
  const c = change(w, s);
  const head = `{"e":"24hrTicker","E":${eventTime},"s":"${w.id}","p":"${c.change}","P":"${c.percent}","w":"${c.vwap}",`;
  const tail = `"o":"${price(w, s.open)}","h":"${price(w, s.high)}","l":"${price(w, s.low)}","v":"${qty(w, s.volume)}","q":"${quote(w, s.quoteVolume)}","O":${s.openTime + skewMs},"C":${s.closeTime + skewMs},"F":${s.firstId},"L":${s.lastId},"n":${s.count}}`;
  if (w.segment === 'spot') {
    const b = bid ?? [0, 0];
    const a = ask ?? [0, 0];
    return `${head}"x":"${price(w, s.prevClose)}","c":"${price(w, s.last)}","Q":"${qty(w, s.lastQty)}","b":"${price(w, b[0])}","B":"${qty(w, b[1])}","a":"${price(w, a[0])}","A":"${qty(w, a[1])}",${tail}`;
  }
  return `${head}"c":"${price(w, s.last)}","Q":"${qty(w, s.lastQty)}",${tail}`;
}

/** `24hrMiniTicker` event: `e,E,s,c,o,h,l,v,q`. */
export function miniTickerFrame(w: WireSymbol, s: SimStats, eventTime: number): string {
  return `{"e":"24hrMiniTicker","E":${eventTime},"s":"${w.id}","c":"${price(w, s.last)}","o":"${price(w, s.open)}","h":"${price(w, s.high)}","l":"${price(w, s.low)}","v":"${qty(w, s.volume)}","q":"${quote(w, s.quoteVolume)}"}`;
}

/** The notice sent before a server goes away (test/fixtures/binance/ws/spot-server-shutdown-*.json). */
export function serverShutdownFrame(eventTime: number, combined: boolean): string {
  const data = `{"e":"serverShutdown","E":${eventTime}}`;
  return combined ? `{"stream":"!serverShutdown","data":${data}}` : data;
}
