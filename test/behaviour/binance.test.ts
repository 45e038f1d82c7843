/** Binance spot + USD-M through the shared venue behaviour suite (CONN-01/02/06/08/09, MKTD-02/05, RESL-04). */
import { binance } from '../../src/client/binance.js';
import { venueBehaviourSuite } from './venue-suite.js';

venueBehaviourSuite({
  venue: 'binance',
  connect: (sim) => binance({ urls: sim.endpoints.binance, streams: { backoff: { initialMs: 20, maxMs: 200 } } }),
  market: (sim) => sim.market,
  bookSymbols: ['BTC/USDT', 'ETH/USDT:USDT'],
  resyncSymbol: 'SOL/USDT',
  shutdownNotice: true,
  restScope: { venue: 'binance', segment: 'spot' },
});
