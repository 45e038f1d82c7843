/** Bybit v5 spot and linear trading through the shared trading behaviour suite (ORDR-01..09, ACCT-01..03). */
import { bybit } from '../../src/client/bybit.js';
import { VenueError } from '../../src/core/errors.js';
import { tradingBehaviourSuite } from './trading-suite.js';

tradingBehaviourSuite({
  venue: 'bybit',
  connect: (sim, credentials) => {
    const urls = sim.endpoints.bybit;
    if (urls === undefined) throw new VenueError('not-found', 'the simulator serves no Bybit');
    return bybit({ urls, credentials, streams: { backoff: { initialMs: 20, maxMs: 200 } } });
  },
  spot: { symbol: 'BTC/USDT', amount: '0.002' },
  derivative: { symbol: 'BTC/USDT:USDT', amount: '0.004' },
  dropPrivate: (sim) => sim.frontEnd('bybit').dropPrivateStreams(),
});
