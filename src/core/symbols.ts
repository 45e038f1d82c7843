/**
 * Unified symbols in the ccxt grammar (`BTC/USDT`, `BTC/USDT:USDT`, `BTC/USD:BTC`, `BTC/USDT:USDT-261225`)
 * and the registry that maps them to venue ids both ways. Venue folders build Markets; this only indexes.
 */
import { VenueError } from './errors.js';
import type { Market, MarketType } from './model.js';

export interface SymbolParts {
  base: string;
  quote: string;
  /** Settlement currency; absent for spot. */
  settle?: string;
  /** Expiry as `YYMMDD` for dated futures. */
  expiry?: string;
}

const SYMBOL_RE = /^([A-Z0-9]+)\/([A-Z0-9]+)(?::([A-Z0-9]+)(?:-(\d{6}))?)?$/;

/** Splits a unified symbol into its parts; throws `invalid-argument` when it is not in the grammar. */
export function parseSymbol(symbol: string): SymbolParts {
  const m = SYMBOL_RE.exec(symbol);
  if (m === null) {
    throw new VenueError('invalid-argument', `not a unified symbol: ${JSON.stringify(symbol)} (expected e.g. BTC/USDT, BTC/USDT:USDT, BTC/USD:BTC, BTC/USDT:USDT-261225)`);
  }
  const [, base, quote, settle, expiry] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const parts: SymbolParts = { base, quote };
  if (settle !== undefined) parts.settle = settle;
  if (expiry !== undefined) parts.expiry = expiry;
  return parts;
}

/** Builds a unified symbol from its parts. */
export function formatSymbol(parts: SymbolParts): string {
  let s = `${parts.base}/${parts.quote}`;
  if (parts.settle !== undefined) s += `:${parts.settle}`;
  if (parts.expiry !== undefined) s += `-${parts.expiry}`;
  return s;
}

/** The market type a unified symbol implies (`spot`, `swap` or `future`), and linear vs inverse. */
export function symbolKind(parts: SymbolParts): { type: MarketType; linear?: boolean } {
  if (parts.settle === undefined) return { type: 'spot' };
  const linear = parts.settle === parts.quote;
  return { type: parts.expiry === undefined ? 'swap' : 'future', linear };
}

/** `YYMMDD` for an expiry timestamp in ms (UTC). */
export function expiryCode(expiryMs: number): string {
  const d = new Date(expiryMs);
  const yy = String(d.getUTCFullYear() % 100).padStart(2, '0');
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(d.getUTCDate()).padStart(2, '0');
  return yy + mm + dd;
}

/**
 * The markets of one venue, indexed by unified symbol and by (venue market type, venue id). A venue id
 * such as Binance `BTCUSDT` exists both as spot and as a USD-M perpetual, so ids are looked up per type.
 */
export class MarketRegistry {
  readonly #bySymbol = new Map<string, Market>();
  readonly #byId = new Map<string, Market>();
  /** By (segment, venue id), and by venue id alone when only one market has it. */
  readonly #bySegmentId = new Map<string, Market>();
  readonly #byBareId = new Map<string, Market | null>();

  constructor(markets: Iterable<Market> = []) {
    for (const m of markets) this.add(m);
  }

  add(market: Market): void {
    this.#bySymbol.set(market.symbol, market);
    this.#byId.set(idKey(market.type, market.id), market);
    this.#bySegmentId.set(market.segment + '\u0000' + market.id, market);
    const bare = this.#byBareId.get(market.id);
    this.#byBareId.set(market.id, bare === undefined || bare === market ? market : null);
  }

  get size(): number {
    return this.#bySymbol.size;
  }

  all(): Market[] {
    return [...this.#bySymbol.values()];
  }

  has(symbol: string): boolean {
    return this.#bySymbol.has(symbol);
  }

  /** The market for a unified symbol; throws `not-found` (or `invalid-argument` for bad grammar). */
  get(symbol: string, venue?: string): Market {
    const m = this.#bySymbol.get(symbol);
    if (m === undefined) {
      parseSymbol(symbol);
      throw new VenueError('not-found', `unknown symbol ${symbol}`, venue === undefined ? {} : { venue });
    }
    return m;
  }

  /**
   * The market for a venue id as a private stream or a list names it: with its segment (`spot`, `usdm`,
   * `linear`...), or alone when the id is unique among the loaded markets. Undefined when unknown or ambiguous.
   */
  resolve(id: string, segment?: string): Market | undefined {
    if (segment !== undefined) return this.#bySegmentId.get(segment + '\u0000' + id);
    return this.#byBareId.get(id) ?? undefined;
  }

  /** The market for a venue id of a given type, or undefined. */
  byId(type: MarketType, id: string): Market | undefined {
    return this.#byId.get(idKey(type, id));
  }
}

function idKey(type: MarketType, id: string): string {
  return type + '\u0000' + id;
}
