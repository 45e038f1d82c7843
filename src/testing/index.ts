/**
 * The `venuekit/testing` entry point: the embedded exchange simulator (market core, Binance front ends,
 * fault switches, bench feed). Named exports only.
 */
export { startSimulator, Simulator } from './sim/server.js';
export type { SimulatorOptions, SimulatorEndpoints, SimulatorStats, SimulatorRateLimits, SimVenue } from './sim/server.js';
export { SimFaults } from './sim/faults.js';
export type { FaultScope, FaultState, FaultTarget, RestFailureStatus } from './sim/faults.js';
export { Market } from './sim/market.js';
export type { BookChange, MarketListener, MarketOptions, SequenceMode, SimTrade } from './sim/market.js';
export { L2Book, BookSide } from './sim/book-engine.js';
export type { BookSnapshot, BookSideName } from './sim/book-engine.js';
export { DEFAULT_INSTRUMENTS, selectInstruments, toInstrument } from './sim/instruments.js';
export type { Instrument, InstrumentKind, InstrumentSpec } from './sim/instruments.js';
export { BenchFeed } from './sim/bench-feed.js';
export type { BenchPrepareOptions, BenchResult, BenchStartOptions, BenchState } from './sim/bench-feed.js';
export type { SegmentEndpoints } from './sim/binance/binance-front-end.js';
export type { FaultRequest } from './sim/control-server.js';
