/**
 * How the Bybit v5 front end names instruments and writes numbers and frames: spot writes prices and sizes
 * without trailing zeros, derivatives with the contract's decimals; field order as in test/fixtures/bybit.
 * Pure string building from integer units, never through a float.
 */
import { formatUnits } from '../binance/wire-format.js';
import type { Instrument } from '../instruments.js';
import type { SimTrade } from '../trade-tape.js';

export type BybitCategory = 'spot' | 'linear' | 'inverse';
export const BYBIT_CATEGORIES: readonly BybitCategory[] = ['spot', 'linear', 'inverse'];

/** One instrument as Bybit names and writes it. */
export interface BybitSymbol {
  /** Venue id: `BTCUSDT`, `BTCPERP` (USDC perpetual), `BTCUSD`, `BTCUSDT-26DEC25`, `BTCUSDZ25`. */
  readonly id: string;
  readonly category: BybitCategory;
  readonly instrument: Instrument;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const MONTH_CODES = 'FGHJKMNQUVXZ';

/** The Bybit category and id of an instrument. */
export function bybitSymbol(i: Instrument): BybitSymbol {
  const pair = `${i.base}${i.quote}`;
  if (i.kind === 'spot') return { id: pair, category: 'spot', instrument: i };
  if (i.inverse) {
    if (i.expiry === undefined) return { id: pair, category: 'inverse', instrument: i };
    const d = new Date(i.expiry);
    return { id: `${pair}${MONTH_CODES[d.getUTCMonth()]}${d.getUTCFullYear() % 100}`, category: 'inverse', instrument: i };
  }
  if (i.expiry !== undefined) {
    const d = new Date(i.expiry);
    return { id: `${pair}-${d.getUTCDate()}${MONTHS[d.getUTCMonth()]}${d.getUTCFullYear() % 100}`, category: 'linear', instrument: i };
  }
  return { id: i.settle === 'USDC' ? `${i.base}PERP` : pair, category: 'linear', instrument: i };
}

/** Drops trailing fractional zeros (`'75845.40'` → `'75845.4'`, `'75844.00'` → `'75844'`). */
export function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A price as Bybit writes it (spot trimmed, derivatives with the tick's decimals). */
export function px(s: BybitSymbol, units: number | bigint): string {
  const t = formatUnits(units, s.instrument.priceScale, s.instrument.priceScale);
  return s.category === 'spot' ? trimZeros(t) : t;
}

/** A size as Bybit writes it (spot trimmed, derivatives with the step's decimals). */
export function sz(s: BybitSymbol, units: number | bigint): string {
  const t = formatUnits(units, s.instrument.qtyScale, s.instrument.qtyScale);
  return s.category === 'spot' ? trimZeros(t) : t;
}

/** A price or size trimmed of trailing zeros (REST order book writes every category this way). */
export function trimmed(units: number | bigint, scale: number): string {
  return trimZeros(formatUnits(units, scale, scale));
}

/** Levels as `[["price","size"],...]` JSON text. */
export function levelsJson(levels: ReadonlyArray<readonly [number, number]>, price: (u: number) => string, size: (u: number) => string): string {
  let out = '[';
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i] as readonly [number, number];
    out += `${i === 0 ? '' : ','}["${price(l[0])}","${size(l[1])}"]`;
  }
  return out + ']';
}

/** An `orderbook.{depth}.{symbol}` push: spot `topic,ts,type,data,cts`; derivatives `topic,type,ts,data,cts`. */
export function orderbookFrame(
  s: BybitSymbol,
  e: { topic: string; type: 'snapshot' | 'delta'; ts: number; cts: number; u: number; seq: number; bids: ReadonlyArray<readonly [number, number]>; asks: ReadonlyArray<readonly [number, number]> },
): string {
  const p = (u: number): string => px(s, u);
  // A removed level is written "0" in every category (test/fixtures/bybit/ws/orderbook-delta.json).
  const q = (u: number): string => (u === 0 ? '0' : sz(s, u));
  const data = `{"s":"${s.id}","b":${levelsJson(e.bids, p, q)},"a":${levelsJson(e.asks, p, q)},"u":${e.u},"seq":${e.seq}}`;
  if (s.category === 'spot') return `{"topic":"${e.topic}","ts":${e.ts},"type":"${e.type}","data":${data},"cts":${e.cts}}`;
  return `{"topic":"${e.topic}","type":"${e.type}","ts":${e.ts},"data":${data},"cts":${e.cts}}`;
}

/** Tick direction of a trade against the previous trade price. */
export function tickDirection(price: number, prev: number | undefined, prevDirection: string | undefined): string {
  if (prev === undefined || price === prev) return prevDirection === 'MinusTick' || prevDirection === 'ZeroMinusTick' ? 'ZeroMinusTick' : 'ZeroPlusTick';
  return price > prev ? 'PlusTick' : 'MinusTick';
}

/** A deterministic trade id: spot a 19-digit decimal string, derivatives a UUID-shaped string. */
export function tradeExecId(s: BybitSymbol, t: SimTrade): string {
  if (s.category === 'spot') return `22${String(t.id).padStart(17, '0')}`;
  const h = (n: number, w: number): string => (n >>> 0).toString(16).padStart(w, '0').slice(-w);
  const a = Math.imul(t.id ^ 0x9e3779b9, 2654435761);
  const b = Math.imul(t.id + 0x7f4a7c15, 2246822519);
  return `${h(a, 8)}-${h(b, 4)}-5${h(a >>> 4, 3)}-${h(b >>> 8, 4)}-${h(t.id, 12)}`;
}

/** One `publicTrade` item: spot `i,T,p,v,S,seq,s,BT,RPI`; derivatives `T,s,S,v,p,L,i,BT,RPI,seq` (recorded fixtures). */
export function tradeItem(s: BybitSymbol, t: SimTrade, time: number, seq: number, direction: string): string {
  const side = t.takerSide === 'buy' ? 'Buy' : 'Sell';
  const id = tradeExecId(s, t);
  if (s.category === 'spot') return `{"i":"${id}","T":${time},"p":"${px(s, t.price)}","v":"${sz(s, t.qty)}","S":"${side}","seq":${seq},"s":"${s.id}","BT":false,"RPI":false}`;
  return `{"T":${time},"s":"${s.id}","S":"${side}","v":"${sz(s, t.qty)}","p":"${px(s, t.price)}","L":"${direction}","i":"${id}","BT":false,"RPI":false,"seq":${seq}}`;
}

/** A `publicTrade.{symbol}` push holding a batch of items (already written). */
export function publicTradeFrame(s: BybitSymbol, ts: number, items: readonly string[]): string {
  if (s.category === 'spot') return `{"topic":"publicTrade.${s.id}","ts":${ts},"type":"snapshot","data":[${items.join(',')}]}`;
  return `{"topic":"publicTrade.${s.id}","type":"snapshot","ts":${ts},"data":[${items.join(',')}]}`;
}

/** A `tickers.{symbol}` push: spot `topic,ts,type,cs,data`; derivatives `topic,type,data,cs,ts`. */
export function tickerFrame(s: BybitSymbol, type: 'snapshot' | 'delta', fields: ReadonlyArray<readonly [string, string]>, cs: number, ts: number): string {
  const data = `{${fields.map(([k, v]) => `"${k}":${JSON.stringify(v)}`).join(',')}}`;
  if (s.category === 'spot') return `{"topic":"tickers.${s.id}","ts":${ts},"type":"${type}","cs":${cs},"data":${data}}`;
  return `{"topic":"tickers.${s.id}","type":"${type}","data":${data},"cs":${cs},"ts":${ts}}`;
}

/** A `kline.{interval}.{symbol}` push (one candle). */
export function klineFrame(topic: string, candle: string, ts: number): string {
  return `{"topic":"${topic}","data":[${candle}],"ts":${ts},"type":"snapshot"}`;
}

/** Bybit kline intervals and their length in ms (weeks and months are not served). */
export const KLINE_INTERVALS: Readonly<Record<string, number>> = {
  '1': 60_000,
  '3': 180_000,
  '5': 300_000,
  '15': 900_000,
  '30': 1_800_000,
  '60': 3_600_000,
  '120': 7_200_000,
  '240': 14_400_000,
  '360': 21_600_000,
  '720': 43_200_000,
  D: 86_400_000,
};
