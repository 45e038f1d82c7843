/** OKX v5 spot and swap trading through the shared trading behaviour suite (ORDR-01..09, ACCT-01..03). */
import { okx } from '../../src/client/okx.js';
import { VenueError } from '../../src/core/errors.js';
import { tradingBehaviourSuite } from './trading-suite.js';

tradingBehaviourSuite({
  venue: 'okx',
  connect: (sim, credentials) => {
    const urls = sim.endpoints.okx;
    if (urls === undefined) throw new VenueError('not-found', 'the simulator serves no OKX');
    return okx({ urls, credentials, streams: { backoff: { initialMs: 20, maxMs: 200 } } });
  },
  spot: { symbol: 'BTC/USDT', amount: '0.002' },
  derivative: { symbol: 'BTC/USDT:USDT', amount: '0.004' },
  dropPrivate: (sim) => sim.frontEnd('okx').dropPrivateStreams(),
});
