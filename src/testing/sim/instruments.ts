/**
 * The simulator's instrument catalogue: ~20 spot pairs and ~20 linear perpetuals with realistic prices,
 * tick/step sizes and minimums, plus their scaled-integer form (prices and sizes as integer units).
 */
import { Decimal } from '../../core/decimal.js';
import { VenueError } from '../../core/errors.js';

export type InstrumentKind = 'spot' | 'perp';

/** One instrument as written by hand: every number a decimal string, like a venue would publish it. */
export interface InstrumentSpec {
  /** Unified ccxt-style symbol: `BTC/USDT` (spot) or `BTC/USDT:USDT` (linear perpetual). */
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
}

/** An instrument with its numbers as integers: price in `10^-priceScale`, size in `10^-qtyScale` units. */
export interface Instrument extends InstrumentSpec {
  readonly settle: string | undefined;
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
    settle: spec.kind === 'perp' ? spec.quote : undefined,
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

/**
 * Picks instruments: all defaults, the first `n` of each kind, or an explicit list of unified symbols
 * (unknown names throw `invalid-argument`).
 */
export function selectInstruments(which?: number | readonly string[], catalogue: readonly InstrumentSpec[] = DEFAULT_INSTRUMENTS): Instrument[] {
  if (which === undefined) return catalogue.map(toInstrument);
  if (typeof which === 'number') {
    if (!Number.isInteger(which) || which < 1) throw new VenueError('invalid-argument', `symbols must be a positive integer, got ${which}`);
    const spot = catalogue.filter((s) => s.kind === 'spot').slice(0, which);
    const perp = catalogue.filter((s) => s.kind === 'perp').slice(0, which);
    return [...spot, ...perp].map(toInstrument);
  }
  return which.map((symbol) => {
    const spec = catalogue.find((s) => s.symbol === symbol);
    if (spec === undefined) throw new VenueError('invalid-argument', `unknown simulator symbol ${symbol}`);
    return toInstrument(spec);
  });
}
