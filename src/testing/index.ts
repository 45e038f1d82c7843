/**
 * The `venuekit/testing` entry point: the embedded exchange simulator (one market core per venue, Binance,
 * Bybit and OKX front ends, fault switches, bench feed). Named exports only.
 */
export { startSimulator, Simulator, registeredVenues, venueSeed } from './sim/server.js';
export type { SimulatorOptions, SimulatorEndpoints, SimulatorStats, SimulatorRateLimits, SimVenue, SimFrontEndOf } from './sim/server.js';
export { SIM_VENUES } from './sim/front-end.js';
export type { SimFrontEnd, SimFrontEndCounters, ListedSymbol } from './sim/front-end.js';
export { BYBIT_FAULTS } from './sim/bybit/bybit-front-end.js';
export type { BybitEndpoints, BybitOptions } from './sim/bybit/bybit-front-end.js';
export { OKX_FAULT_TYPES, okxCatalogue } from './sim/okx/okx-front-end.js';
export type { OkxEndpoints, OkxOptions } from './sim/okx/okx-front-end.js';
export { SimFaults } from './sim/faults.js';
export type { FaultScope, FaultState, FaultTarget, RestFailureStatus } from './sim/faults.js';
export { Market } from './sim/market.js';
export type { BookChange, MarketListener, MarketOptions, SequenceMode, SimTrade } from './sim/market.js';
export { L2Book, BookSide } from './sim/book-engine.js';
export type { BookSnapshot, BookSideName } from './sim/book-engine.js';
export { DEFAULT_INSTRUMENTS, derivativesCatalogue, quarterlyExpiry, selectInstruments, toInstrument } from './sim/instruments.js';
export type { Instrument, InstrumentKind, InstrumentSpec } from './sim/instruments.js';
export { BenchFeed } from './sim/bench-feed.js';
export type { BenchPrepareOptions, BenchResult, BenchStartOptions, BenchState } from './sim/bench-feed.js';
export type { SegmentEndpoints } from './sim/binance/binance-front-end.js';
export type { FaultRequest } from './sim/control-server.js';
export { SIM_DEMO_ACCOUNT } from './sim/server.js';
export { SimTradingEngine } from './sim/trading/engine.js';
export type { SimAccountSpec, SimTradingOptions } from './sim/trading/engine.js';
export type { PlaceInput, SimAccountEvent, SimBalance, SimCredentials, SimFill, SimOrder, SimOrderStatus, SimPosition, SimRejectReason } from './sim/trading/engine-types.js';
export { SimRejection } from './sim/trading/engine-types.js';
export { TradingFaults, PrivateFramePump } from './sim/trading/trading-faults.js';
export type { AckFault, EventFault } from './sim/trading/trading-faults.js';
