/**
 * How the OKX v5 front end names instruments and writes numbers and frames: instIds from unified symbols,
 * decimals as OKX writes them (no trailing zeros), levels `[px, sz, "0", numOrders]`, the book CRC32, and every
 * push / ack / error body in the field order of the real fixtures (test/fixtures/okx). Pure string building
 * from integer units, never through a float.
 */
import type { Instrument } from '../instruments.js';

export type OkxInstType = 'SPOT' | 'SWAP' | 'FUTURES';

/** One instrument as OKX lists it. Sizes (`sz`) are base units for SPOT and contracts otherwise. */
export interface OkxInstrument {
  /** `BTC-USDT`, `BTC-USDT-SWAP`, `BTC-USD-SWAP`, `BTC-USDT-261225`. */
  readonly instId: string;
  readonly instType: OkxInstType;
  readonly instrument: Instrument;
  /** Contracts: `linear` or `inverse`; SPOT: `''`. */
  readonly ctType: '' | 'linear' | 'inverse';
  /** `BTC-USDT` for contracts, `''` for SPOT. */
  readonly uly: string;
  /** Expiry (ms) of dated futures. */
  readonly expTime: number | undefined;
}

/** `BTC/USDT` → `BTC-USDT`; `BTC/USDT:USDT` → `BTC-USDT-SWAP`; `BTC/USD:BTC-261225` → `BTC-USD-261225`. */
export function okxInstrument(instrument: Instrument): OkxInstrument {
  const [pair = '', settlePart] = instrument.symbol.split(':');
  const family = pair.replace('/', '-');
  if (settlePart === undefined) return { instId: family, instType: 'SPOT', instrument, ctType: '', uly: '', expTime: undefined };
  const [, expiry] = settlePart.split('-');
  const ctType = instrument.inverse ? 'inverse' : 'linear';
  if (expiry !== undefined) return { instId: `${family}-${expiry}`, instType: 'FUTURES', instrument, ctType, uly: family, expTime: instrument.expiry };
  return { instId: `${family}-SWAP`, instType: 'SWAP', instrument, ctType, uly: family, expTime: undefined };
}

/** A non-negative or negative integer count of `10^-scale` units as OKX writes it: no trailing zeros. */
export function decimalText(units: number | bigint, scale: number): string {
  let digits = units.toString();
  const neg = digits.startsWith('-');
  if (neg) digits = digits.slice(1);
  if (scale === 0) return (neg ? '-' : '') + digits;
  digits = digits.padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  return (neg && (int !== '0' || frac !== '') ? '-' : '') + (frac === '' ? int : `${int}.${frac}`);
}

/** A decimal string without trailing zeros (`'0.10'` → `'0.1'`, `'1.0'` → `'1'`). */
export function trimDecimal(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

export function px(w: OkxInstrument, units: number): string {
  return decimalText(units, w.instrument.priceScale);
}

export function sz(w: OkxInstrument, units: number | bigint): string {
  return decimalText(units, w.instrument.qtyScale);
}

/** A made-up but deterministic order count for a level (the market core keeps no orders): 1 + size / (2 × typical). */
export function orderCount(w: OkxInstrument, sizeUnits: number): number {
  return Math.min(500, 1 + Math.floor(sizeUnits / (2 * w.instrument.typicalQtyUnits)));
}

/** One level as `["px","sz","0","n"]`; a removed level is `["px","0","0","0"]`. */
export function levelJson(w: OkxInstrument, price: number, size: number): string {
  return `["${px(w, price)}","${sz(w, size)}","0","${size === 0 ? 0 : orderCount(w, size)}"]`;
}

export function levelsJson(w: OkxInstrument, levels: ReadonlyArray<readonly [number, number]>): string {
  let out = '[';
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i] as readonly [number, number];
    out += (i === 0 ? '' : ',') + levelJson(w, l[0], l[1]);
  }
  return out + ']';
}

// ------------------------------------------------------------------ checksum

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 (IEEE) of the UTF-8 bytes of an ASCII string, as a signed 32-bit integer (OKX's `checksum`). */
export function crc32Signed(text: string): number {
  let c = -1;
  for (let i = 0; i < text.length; i++) c = (CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ -1) | 0;
}

/**
 * The documented `books` checksum over the first 25 levels of each side: `bidPx:bidSz:askPx:askSz:...`,
 * the longer side's remaining levels appended when one side is shorter; strings exactly as pushed.
 */
export function bookChecksum(w: OkxInstrument, bids: ReadonlyArray<readonly [number, number]>, asks: ReadonlyArray<readonly [number, number]>): number {
  const parts: string[] = [];
  for (let i = 0; i < 25; i++) {
    const b = bids[i];
    const a = asks[i];
    if (b !== undefined) parts.push(`${px(w, b[0])}:${sz(w, b[1])}`);
    if (a !== undefined) parts.push(`${px(w, a[0])}:${sz(w, a[1])}`);
  }
  return crc32Signed(parts.join(':'));
}

// ------------------------------------------------------------------ frames

/** `{"channel":"books","instId":"BTC-USDT"}` (test/fixtures/okx/ws/books-subscribe-request.json). */
export function argJson(channel: string, instId: string): string {
  return `{"channel":"${channel}","instId":"${instId}"}`;
}

/** A `books` push: snapshot or update (books-snapshot.json / books-update.json field order). */
export function booksFrame(
  w: OkxInstrument,
  action: 'snapshot' | 'update',
  e: { bids: ReadonlyArray<readonly [number, number]>; asks: ReadonlyArray<readonly [number, number]>; ts: number; checksum: number; prevSeqId: number; seqId: number },
): string {
  return `{"arg":${argJson('books', w.instId)},"action":"${action}","data":[{"asks":${levelsJson(w, e.asks)},"bids":${levelsJson(w, e.bids)},"ts":"${e.ts}","checksum":${e.checksum},"prevSeqId":${e.prevSeqId},"seqId":${e.seqId}}]}`;
}

/** A `books5` push: full 5 levels, `instId` and numeric `seqId` inside the data (books5-BTC-USDT-recorded-with-seqid.jsonl). */
export function books5Frame(w: OkxInstrument, bids: ReadonlyArray<readonly [number, number]>, asks: ReadonlyArray<readonly [number, number]>, ts: number, seqId: number): string {
  return `{"arg":${argJson('books5', w.instId)},"data":[{"asks":${levelsJson(w, asks)},"bids":${levelsJson(w, bids)},"instId":"${w.instId}","ts":"${ts}","seqId":${seqId}}]}`;
}

/** A `bbo-tbt` push (bbo-tbt.json). */
export function bboFrame(w: OkxInstrument, bid: readonly [number, number] | undefined, ask: readonly [number, number] | undefined, ts: number, seqId: number): string {
  return `{"arg":${argJson('bbo-tbt', w.instId)},"data":[{"asks":${levelsJson(w, ask === undefined ? [] : [ask])},"bids":${levelsJson(w, bid === undefined ? [] : [bid])},"ts":"${ts}","seqId":${seqId}}]}`;
}

/** One trade as in trades-BTC-USDT-recorded-with-seqid.jsonl: `side` is the taker's side. */
export function tradeFrame(w: OkxInstrument, t: { id: number; price: number; qty: number; takerSide: 'buy' | 'sell' }, ts: number, seqId: number): string {
  return `{"arg":${argJson('trades', w.instId)},"data":[{"instId":"${w.instId}","tradeId":"${t.id}","px":"${px(w, t.price)}","sz":"${sz(w, t.qty)}","side":"${t.takerSide}","ts":"${ts}","count":"1","source":"0","seqId":${seqId}}]}`;
}

/** The fields of one ticker (tickers-push.json / market-tickers.json order), already written as strings. */
export interface TickerFields {
  readonly last: string;
  readonly lastSz: string;
  readonly askPx: string;
  readonly askSz: string;
  readonly bidPx: string;
  readonly bidSz: string;
  readonly open24h: string;
  readonly high24h: string;
  readonly low24h: string;
  readonly volCcy24h: string;
  readonly vol24h: string;
  readonly sodUtc0: string;
  readonly sodUtc8: string;
  readonly ts: string;
}

export function tickerObject(w: OkxInstrument, f: TickerFields): Record<string, string> {
  return { instType: w.instType, instId: w.instId, ...f };
}

export function tickerFrame(w: OkxInstrument, f: TickerFields): string {
  return `{"arg":${argJson('tickers', w.instId)},"data":[${JSON.stringify(tickerObject(w, f))}]}`;
}

/** A candle row `[ts,o,h,l,c,vol,volCcy,volCcyQuote,confirm]` (candle-push.json). */
export function candleFrame(w: OkxInstrument, channel: string, row: readonly string[]): string {
  return `{"arg":${argJson(channel, w.instId)},"data":[${JSON.stringify(row)}]}`;
}

/** Subscribe / unsubscribe ack: `id` (when the request had one), `event`, `arg`, `connId` (books-subscribe-response.json). */
export function ackFrame(event: 'subscribe' | 'unsubscribe', arg: Record<string, unknown>, connId: string, id: string | undefined): string {
  return JSON.stringify({ ...(id !== undefined ? { id } : {}), event, arg, connId });
}

/** An `event:"error"` body as recorded (error-60014-...-recorded-2025-02.json order), `id` first when given. */
export function errorFrame(code: string, msg: string, connId: string, id: string | undefined): string {
  return JSON.stringify({ ...(id !== undefined ? { id } : {}), event: 'error', msg, code, connId });
}

/** The service-upgrade notice (notice-service-upgrade.json). */
export function upgradeNoticeFrame(connId: string): string {
  return JSON.stringify({ event: 'notice', code: '64008', msg: 'The connection will soon be closed for a service upgrade. Please reconnect.', connId });
}

/** `60018`: the channel or instId does not exist on this URL (wording as OKX writes it). */
export function wrongChannelMessage(channel: string, instId: string | undefined): string {
  return `Wrong URL or channel:${channel}${instId === undefined ? '' : `,instId:${instId}`} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`;
}
