/** Binance spot and USD-M trading through the shared trading behaviour suite (ORDR-01..09, ACCT-01..03). */
import { binance } from '../../src/client/binance.js';
import { tradingBehaviourSuite } from './trading-suite.js';

tradingBehaviourSuite({
  venue: 'binance',
  connect: (sim, credentials) => binance({ urls: sim.endpoints.binance, credentials, streams: { backoff: { initialMs: 20, maxMs: 200 } } }),
  spot: { symbol: 'BTC/USDT', amount: '0.002' },
  derivative: { symbol: 'BTC/USDT:USDT', amount: '0.004' },
  dropPrivate: (sim) => sim.frontEnd('binance', 'spot').dropPrivateStreams() + sim.frontEnd('binance', 'usdm').dropPrivateStreams(),
});
