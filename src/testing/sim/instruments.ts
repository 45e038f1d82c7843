/**
 * The simulator's instrument catalogue: ~20 spot pairs and ~20 USDT perpetuals (every venue), plus inverse and
 * USDC perpetuals and quarterly dated futures (Bybit, OKX), and their scaled-integer form (integer units).
 */
import { Decimal } from '../../core/decimal.js';
import { VenueError } from '../../core/errors.js';

/** `future` = dated (quarterly) future. */
export type InstrumentKind = 'spot' | 'perp' | 'future';

/** One instrument as written by hand: every number a decimal string, like a venue would publish it. */
export interface InstrumentSpec {
  /**
   * Unified ccxt-style symbol: `BTC/USDT` (spot), `BTC/USDT:USDT` (linear perpetual), `BTC/USD:BTC` (inverse
   * perpetual), `BTC/USDT:USDT-251226` (dated future, expiry `YYMMDD`).
   */
  readonly symbol: string;
  readonly kind: InstrumentKind;
  readonly base: string;
  readonly quote: string;
  /** Tick size as the venue writes it; its written decimals are the price decimals (`'0.10'` → 2). */
  readonly tickSize: string;
  readonly stepSize: string;
  readonly minQty: string;
  readonly maxQty: string;
  readonly minNotional: string;
  /** Starting mid price. */
  readonly price: string;
  /** A typical resting order / taker size. */
  readonly typicalQty: string;
  /** Inverse contract: sizes count contracts worth `contractSize` of the quote currency, settled in the base. */
  readonly inverse?: boolean;
  /** What one size unit of 1 is worth: inverse = quote currency per contract (Bybit `'1'` USD); else `'1'` base. */
  readonly contractSize?: string;
  /** Dated futures: expiry time (ms, 08:00 UTC). */
  readonly expiry?: number | undefined;
}

/** An instrument with its numbers as integers: price in `10^-priceScale`, size in `10^-qtyScale` units. */
export interface Instrument extends InstrumentSpec {
  /** Settlement currency (`USDT`, `USDC`, the base for inverse contracts); undefined for spot. */
  readonly settle: string | undefined;
  readonly inverse: boolean;
  readonly contractSize: string;
  readonly expiry: number | undefined;
  readonly priceScale: number;
  readonly qtyScale: number;
  /** Tick and step as integer units of their scale. */
  readonly tickUnits: number;
  readonly stepUnits: number;
  readonly minQtyUnits: number;
  readonly maxQtyUnits: number;
  readonly initialPriceUnits: number;
  readonly typicalQtyUnits: number;
}

type Row = [symbol: string, tick: string, step: string, minQty: string, maxQty: string, minNotional: string, price: string, typicalQty: string];

const SPOT: Row[] = [
  ['BTC/USDT', '0.01', '0.00001', '0.00001', '9000', '5', '65000.00', '0.02'],
  ['ETH/USDT', '0.01', '0.0001', '0.0001', '9000', '5', '3200.00', '0.3'],
  ['SOL/USDT', '0.01', '0.001', '0.001', '90000', '5', '145.00', '5'],
  ['BNB/USDT', '0.01', '0.001', '0.001', '90000', '5', '580.00', '2'],
  ['XRP/USDT', '0.0001', '0.1', '0.1', '9000000', '5', '0.5200', '800'],
  ['DOGE/USDT', '0.00001', '1', '1', '90000000', '1', '0.15000', '5000'],
  ['ADA/USDT', '0.0001', '0.1', '0.1', '9000000', '5', '0.4500', '1500'],
  ['AVAX/USDT', '0.01', '0.01', '0.01', '900000', '5', '28.00', '30'],
  ['LINK/USDT', '0.01', '0.01', '0.01', '900000', '5', '14.00', '40'],
  ['DOT/USDT', '0.001', '0.01', '0.01', '900000', '5', '6.500', '100'],
  ['LTC/USDT', '0.01', '0.001', '0.001', '90000', '5', '80.00', '8'],
  ['TRX/USDT', '0.0001', '0.1', '0.1', '9000000', '1', '0.1200', '5000'],
  ['SHIB/USDT', '0.00000001', '1', '1', '90000000000', '1', '0.00002000', '50000000'],
  ['PEPE/USDT', '0.00000001', '1', '1', '90000000000', '1', '0.00001000', '200000000'],
  ['UNI/USDT', '0.001', '0.01', '0.01', '900000', '5', '7.500', '60'],
  ['ATOM/USDT', '0.001', '0.01', '0.01', '900000', '5', '6.500', '60'],
  ['NEAR/USDT', '0.001', '0.1', '0.1', '900000', '5', '5.000', '80'],
  ['ETH/BTC', '0.00001', '0.0001', '0.0001', '100000', '0.0001', '0.04900', '0.5'],
  ['BNB/BTC', '0.000001', '0.001', '0.001', '100000', '0.0001', '0.008900', '2'],
  ['BTC/FDUSD', '0.01', '0.00001', '0.00001', '9000', '5', '65010.00', '0.02'],
];

const PERP: Row[] = [
  ['BTC/USDT:USDT', '0.10', '0.001', '0.001', '1000', '100', '65000.00', '0.05'],
  ['ETH/USDT:USDT', '0.01', '0.001', '0.001', '10000', '20', '3200.00', '1'],
  ['SOL/USDT:USDT', '0.0100', '1', '1', '1000000', '5', '145.0000', '20'],
  ['BNB/USDT:USDT', '0.010', '0.01', '0.01', '100000', '5', '580.000', '2'],
  ['XRP/USDT:USDT', '0.0001', '0.1', '0.1', '10000000', '5', '0.5200', '800'],
  ['DOGE/USDT:USDT', '0.000010', '1', '1', '50000000', '5', '0.150000', '5000'],
  ['ADA/USDT:USDT', '0.00010', '1', '1', '10000000', '5', '0.45000', '1500'],
  ['AVAX/USDT:USDT', '0.0010', '1', '1', '1000000', '5', '28.0000', '30'],
  ['LINK/USDT:USDT', '0.001', '0.01', '0.01', '1000000', '20', '14.000', '40'],
  ['DOT/USDT:USDT', '0.001', '0.1', '0.1', '1000000', '5', '6.500', '100'],
  ['LTC/USDT:USDT', '0.01', '0.001', '0.001', '100000', '20', '80.00', '8'],
  ['TRX/USDT:USDT', '0.00001', '1', '1', '10000000', '5', '0.12000', '5000'],
  ['1000SHIB/USDT:USDT', '0.000001', '1', '1', '100000000', '5', '0.020000', '50000'],
  ['1000PEPE/USDT:USDT', '0.0000001', '1', '1', '100000000', '5', '0.0100000', '200000'],
  ['UNI/USDT:USDT', '0.001', '1', '1', '1000000', '5', '7.500', '60'],
  ['ATOM/USDT:USDT', '0.001', '0.01', '0.01', '1000000', '5', '6.500', '60'],
  ['NEAR/USDT:USDT', '0.001', '1', '1', '1000000', '5', '5.000', '80'],
  ['FIL/USDT:USDT', '0.001', '0.1', '0.1', '1000000', '5', '4.000', '100'],
  ['APT/USDT:USDT', '0.0001', '0.1', '0.1', '1000000', '5', '8.0000', '50'],
  ['SUI/USDT:USDT', '0.0001', '0.1', '0.1', '1000000', '5', '1.0000', '300'],
];

function toSpec(kind: InstrumentKind, [symbol, tickSize, stepSize, minQty, maxQty, minNotional, price, typicalQty]: Row): InstrumentSpec {
  const [pair = '', _settle] = symbol.split(':');
  const [base = '', quote = ''] = pair.split('/');
  return { symbol, kind, base, quote, tickSize, stepSize, minQty, maxQty, minNotional, price, typicalQty };
}

/** Inverse perpetuals, sizes in contracts of `contractSize` USD (Bybit: 1 USD). */
const INVERSE_PERP: Row[] = [
  ['BTC/USD:BTC', '0.50', '1', '1', '100000000', '0', '65000.00', '2000'],
  ['ETH/USD:ETH', '0.05', '1', '1', '100000000', '0', '3200.00', '1000'],
  ['SOL/USD:SOL', '0.010', '1', '1', '10000000', '0', '145.000', '300'],
  ['XRP/USD:XRP', '0.0001', '1', '1', '10000000', '0', '0.5200', '300'],
];

const USDC_PERP: Row[] = [
  ['BTC/USDC:USDC', '0.10', '0.001', '0.001', '500', '5', '65000.00', '0.05'],
  ['ETH/USDC:USDC', '0.01', '0.01', '0.01', '5000', '5', '3200.00', '1'],
];

/** Dated futures; `{E}` is replaced by the expiry's `YYMMDD`. */
const LINEAR_FUTURE: Row[] = [
  ['BTC/USDT:USDT-{E}', '0.10', '0.001', '0.001', '500', '5', '65500.00', '0.05'],
  ['ETH/USDT:USDT-{E}', '0.01', '0.01', '0.01', '5000', '5', '3230.00', '1'],
];
const INVERSE_FUTURE: Row[] = [
  ['BTC/USD:BTC-{E}', '0.50', '1', '1', '100000000', '0', '65500.00', '2000'],
  ['ETH/USD:ETH-{E}', '0.05', '1', '1', '100000000', '0', '3230.00', '1000'],
];

const DAY = 86_400_000;

/** 08:00 UTC on the last Friday of `month` (0-based) of `year`. */
function lastFridayAt8(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  const back = (last.getUTCDay() - 5 + 7) % 7;
  return Date.UTC(year, month, last.getUTCDate() - back, 8);
}

/**
 * The quarterly expiry dated futures list: the last Friday of March, June, September or December at 08:00 UTC,
 * the first one at least `minDays` after `startMs` (the same for every start time on the same day and hour).
 */
export function quarterlyExpiry(startMs: number, minDays = 14): number {
  const d = new Date(startMs);
  let year = d.getUTCFullYear();
  let month = d.getUTCMonth() - (d.getUTCMonth() % 3) + 2;
  for (;;) {
    const t = lastFridayAt8(year, month);
    if (t >= startMs + minDays * DAY) return t;
    month += 3;
    if (month > 11) {
      month -= 12;
      year++;
    }
  }
}

/** `YYMMDD` of a time (UTC). */
export function expiryCode(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

export interface DerivativesCatalogueOptions {
  /** Quote value of one inverse contract by base (default `'1'`, Bybit's 1 USD). */
  readonly inverseContractSize?: (base: string) => string;
}

/**
 * The catalogue of a venue with inverse, USDC and dated contracts (Bybit, OKX): the default instruments, then
 * inverse perpetuals, USDC perpetuals, linear and inverse dated futures expiring at `quarterlyExpiry(startMs)`.
 */
export function derivativesCatalogue(startMs: number, options: DerivativesCatalogueOptions = {}): InstrumentSpec[] {
  const expiry = quarterlyExpiry(startMs);
  const code = expiryCode(expiry);
  const dated = (r: Row): Row => [r[0].replace('{E}', code), ...r.slice(1)] as Row;
  const inverse = (s: InstrumentSpec): InstrumentSpec => ({ ...s, inverse: true, contractSize: options.inverseContractSize?.(s.base) ?? '1' });
  return [
    ...DEFAULT_INSTRUMENTS,
    ...INVERSE_PERP.map((r) => inverse(toSpec('perp', r))),
    ...USDC_PERP.map((r) => toSpec('perp', r)),
    ...LINEAR_FUTURE.map((r) => ({ ...toSpec('future', dated(r)), expiry })),
    ...INVERSE_FUTURE.map((r) => ({ ...inverse(toSpec('future', dated(r))), expiry })),
  ];
}

/** The default catalogue: spot pairs then perpetuals, in a stable order. */
export const DEFAULT_INSTRUMENTS: readonly InstrumentSpec[] = [...SPOT.map((r) => toSpec('spot', r)), ...PERP.map((r) => toSpec('perp', r))];

/** Written decimals of a decimal string (`'0.10'` → 2, `'1'` → 0). */
function writtenDecimals(text: string): number {
  return Decimal.from(text).scale;
}

/** A spec's value as a safe integer count of `10^-scale` units, or a thrown `invalid-argument`. */
function units(text: string, scale: number, what: string): number {
  const v = Decimal.from(text).toScaledBigInt(scale);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new VenueError('invalid-argument', `${what} ${text} is too large for the simulator`);
  return Number(v);
}

/** Converts a spec to its integer form, checking the numbers line up with tick and step. */
export function toInstrument(spec: InstrumentSpec): Instrument {
  const priceScale = writtenDecimals(spec.tickSize);
  const qtyScale = Math.max(writtenDecimals(spec.stepSize), writtenDecimals(spec.minQty));
  const tickUnits = units(spec.tickSize, priceScale, `${spec.symbol} tickSize`);
  const stepUnits = units(spec.stepSize, qtyScale, `${spec.symbol} stepSize`);
  if (tickUnits <= 0 || stepUnits <= 0) throw new VenueError('invalid-argument', `${spec.symbol}: tick and step must be positive`);
  const initialPriceUnits = units(spec.price, priceScale, `${spec.symbol} price`);
  if (initialPriceUnits % tickUnits !== 0) throw new VenueError('invalid-argument', `${spec.symbol}: price ${spec.price} is not a multiple of tick ${spec.tickSize}`);
  const typical = Decimal.from(spec.typicalQty).quantize(spec.stepSize, 'down');
  return {
    ...spec,
    settle: spec.kind === 'spot' ? undefined : (spec.symbol.split(':')[1]?.split('-')[0] ?? spec.quote),
    inverse: spec.inverse ?? false,
    contractSize: spec.contractSize ?? '1',
    expiry: spec.expiry,
    priceScale,
    qtyScale,
    tickUnits,
    stepUnits,
    minQtyUnits: units(spec.minQty, qtyScale, `${spec.symbol} minQty`),
    maxQtyUnits: units(spec.maxQty, qtyScale, `${spec.symbol} maxQty`),
    initialPriceUnits,
    typicalQtyUnits: Math.max(stepUnits, units(typical.toString(), qtyScale, `${spec.symbol} typicalQty`)),
  };
}

/** The group `symbols: n` takes the first `n` of: spot, linear perpetuals per settle currency, inverse perpetuals, futures. */
function group(s: InstrumentSpec): string {
  if (s.kind === 'spot') return 'spot';
  return s.inverse === true ? `${s.kind}:inverse` : `${s.kind}:${s.symbol.split(':')[1]?.split('-')[0] ?? s.quote}`;
}

/**
 * Picks instruments: all defaults, the first `n` of each group (spot, USDT perpetuals, and on catalogues
 * that have them USDC perpetuals, inverse perpetuals, linear and inverse futures), or an explicit list of
 * unified symbols (unknown names throw `invalid-argument`).
 */
export function selectInstruments(which?: number | readonly string[], catalogue: readonly InstrumentSpec[] = DEFAULT_INSTRUMENTS): Instrument[] {
  if (which === undefined) return catalogue.map(toInstrument);
  if (typeof which === 'number') {
    if (!Number.isInteger(which) || which < 1) throw new VenueError('invalid-argument', `symbols must be a positive integer, got ${which}`);
    const taken = new Map<string, number>();
    const picked = catalogue.filter((s) => {
      const n = taken.get(group(s)) ?? 0;
      taken.set(group(s), n + 1);
      return n < which;
    });
    // Spot first, then the rest in catalogue order (as before the extra groups existed).
    return [...picked.filter((s) => s.kind === 'spot'), ...picked.filter((s) => s.kind !== 'spot')].map(toInstrument);
  }
  return which.map((symbol) => {
    const spec = catalogue.find((s) => s.symbol === symbol);
    if (spec === undefined) throw new VenueError('invalid-argument', `unknown simulator symbol ${symbol}`);
    return toInstrument(spec);
  });
}
