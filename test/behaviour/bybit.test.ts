/** Bybit v5 spot, linear and inverse through the shared venue behaviour suite (CONN-03/07, MKTD-02/05/08). */
import { bybit } from '../../src/client/bybit.js';
import { VenueError } from '../../src/core/errors.js';
import { venueBehaviourSuite } from './venue-suite.js';

venueBehaviourSuite({
  venue: 'bybit',
  connect: (sim) => {
    const urls = sim.endpoints.bybit;
    if (urls === undefined) throw new VenueError('not-found', 'the simulator serves no Bybit');
    return bybit({ urls, streams: { backoff: { initialMs: 20, maxMs: 200 } } });
  },
  market: (sim) => sim.marketOf('bybit'),
  bookSymbols: ['BTC/USDT', 'BTC/USDT:USDT', 'BTC/USD:BTC'],
  resyncSymbol: 'ETH/USDT:USDT',
  watchDepth: 200,
  restScope: { venue: 'bybit' },
  venueFaults: [
    { name: 'a Bybit service restart (a fresh snapshot with u == 1)', inject: (sim, symbol) => void sim.frontEnd('bybit').restart(symbol), expect: 'venue-reset' },
  ],
});
