/**
 * The Binance front end's `exchangeInfo` bodies for spot and USD-M, shaped like the real ones
 * (test/fixtures/binance/rest/spot-exchange-info.json, spot-filter-*.json, usdm-exchange-info*.json).
 */
import { Decimal } from '../../../core/decimal.js';
import type { BinanceSegment, WireSymbol } from './wire-format.js';

/** The REQUEST_WEIGHT window the front end meters, as exchangeInfo reports it. */
export interface WeightLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** `rateLimits` entries; the REQUEST_WEIGHT one mirrors what the simulator enforces. */
function rateLimits(segment: BinanceSegment, weight: WeightLimit): unknown[] {
  const minutes = Math.max(1, Math.round(weight.windowMs / 60_000));
  const weightRule = weight.windowMs % 60_000 === 0
    ? { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: minutes, limit: weight.limit }
    : { rateLimitType: 'REQUEST_WEIGHT', interval: 'SECOND', intervalNum: Math.max(1, Math.round(weight.windowMs / 1000)), limit: weight.limit };
  if (segment === 'spot') {
    return [
      weightRule,
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
    ];
  }
  return [
    { interval: weightRule.interval, intervalNum: weightRule.intervalNum, limit: weight.limit, rateLimitType: 'REQUEST_WEIGHT' },
    { interval: 'MINUTE', intervalNum: 1, limit: 1200, rateLimitType: 'ORDERS' },
    { interval: 'SECOND', intervalNum: 10, limit: 300, rateLimitType: 'ORDERS' },
  ];
}

/** A spec decimal written with 8 decimals, as spot filters are. */
function d8(text: string): string {
  return Decimal.from(text).toScale(8, 'down').toString();
}

/** A spot `symbols[]` entry with the filters current spot symbols carry. */
export function spotSymbolInfo(w: WireSymbol): Record<string, unknown> {
  const i = w.instrument;
  return {
    symbol: w.id,
    status: 'TRADING',
    baseAsset: i.base,
    baseAssetPrecision: 8,
    quoteAsset: i.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    opoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    pegInstructionsAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: true,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: d8(i.tickSize), maxPrice: d8('1000000'), tickSize: d8(i.tickSize) },
      { filterType: 'LOT_SIZE', minQty: d8(i.minQty), maxQty: d8(i.maxQty), stepSize: d8(i.stepSize) },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: d8('0'), maxQty: d8(i.maxQty), stepSize: d8('0') },
      { filterType: 'TRAILING_DELTA', minTrailingAboveDelta: 10, maxTrailingAboveDelta: 2000, minTrailingBelowDelta: 10, maxTrailingBelowDelta: 2000 },
      { filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: '5', bidMultiplierDown: '0.2', askMultiplierUp: '5', askMultiplierDown: '0.2', avgPriceMins: 5 },
      { filterType: 'NOTIONAL', minNotional: d8(i.minNotional), applyMinToMarket: true, maxNotional: d8('9000000'), applyMaxToMarket: false, avgPriceMins: 5 },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT', 'MARGIN']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

/** A USD-M perpetual `symbols[]` entry (contract fields, filters incl. MIN_NOTIONAL `notional`). */
export function usdmSymbolInfo(w: WireSymbol): Record<string, unknown> {
  const i = w.instrument;
  const maxPrice = Decimal.from(i.price).mul('20').quantize(i.tickSize).normalize().toString();
  return {
    symbol: w.id,
    pair: w.id,
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: i.base,
    quoteAsset: i.quote,
    marginAsset: i.settle ?? i.quote,
    pricePrecision: i.priceScale,
    quantityPrecision: i.qtyScale,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    settlePlan: 0,
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: i.tickSize, maxPrice, tickSize: i.tickSize },
      { filterType: 'LOT_SIZE', minQty: i.minQty, maxQty: i.maxQty, stepSize: i.stepSize },
      { filterType: 'MARKET_LOT_SIZE', minQty: i.minQty, maxQty: i.maxQty, stepSize: i.stepSize },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
      { filterType: 'MIN_NOTIONAL', notional: i.minNotional },
      { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
    ],
    orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
    permissionSets: ['GRID', 'COPY'],
  };
}

/** The whole exchangeInfo body for a segment and the (already filtered) symbols. */
export function exchangeInfoBody(segment: BinanceSegment, symbols: readonly WireSymbol[], serverTime: number, weight: WeightLimit): Record<string, unknown> {
  if (segment === 'spot') {
    return {
      timezone: 'UTC',
      serverTime,
      rateLimits: rateLimits(segment, weight),
      exchangeFilters: [],
      symbols: symbols.map(spotSymbolInfo),
      sors: [],
    };
  }
  const margin = [...new Set(symbols.map((s) => s.instrument.settle ?? s.instrument.quote))];
  return {
    timezone: 'UTC',
    serverTime,
    futuresType: 'U_MARGINED',
    rateLimits: rateLimits(segment, weight),
    exchangeFilters: [],
    assets: margin.map((asset) => ({ asset, marginAvailable: true, autoAssetExchange: '-10000' })),
    symbols: symbols.map(usdmSymbolInfo),
  };
}
