/**
 * Run-time checks of `startSimulator` options (plain JavaScript callers, the CLI's flags): a typo or a value of
 * the wrong kind is `invalid-argument` naming the option and what it allows, never ignored. The venue front ends
 * check their own `bybit`/`okx` settings.
 */
import { check, keysOf, MAX_TIMER_MS } from '../../core/validation.js';
import { SIM_VENUES } from './front-end.js';
import type { SimulatorOptions, SimulatorRateLimits } from './server.js';

const OPTION_KEYS = keysOf<SimulatorOptions>({
  seed: true,
  depth: true,
  symbols: true,
  tickMs: true,
  pingIntervalMs: true,
  pongTimeoutMs: true,
  maxConnectionLifetimeMs: true,
  maxIncomingPerSecond: true,
  rateLimits: true,
  bybit: true,
  okx: true,
  okxChecksums: true,
  venues: true,
  portBase: true,
  legacyUsdmPaths: true,
  warmupSteps: true,
  startTime: true,
  accounts: true,
});
const RATE_LIMIT_KEYS = keysOf<SimulatorRateLimits>({ spotWeight: true, usdmWeight: true, windowMs: true, banAfterRejections: true, banMs: true });
const DURATION = { min: 1, max: MAX_TIMER_MS };
/** The simulator's deepest book per side. */
const MAX_DEPTH = 5000;

/** @throws VenueError `invalid-argument` naming the first option that is unknown or of the wrong kind. */
export function checkSimulatorOptions(value: unknown): void {
  const o = check.options('startSimulator options', value, OPTION_KEYS);
  check.optionalInteger('seed', o['seed'], { min: 0 });
  check.optionalInteger('depth', o['depth'], { min: 1, max: MAX_DEPTH });
  if (typeof o['symbols'] === 'number') check.integer('symbols', o['symbols'], { min: 1 });
  else if (o['symbols'] !== undefined) check.list('symbols', o['symbols'], (f, v) => check.string(f, v), { min: 1 });
  check.optionalInteger('tickMs', o['tickMs'], { min: 0, max: MAX_TIMER_MS });
  for (const key of ['pingIntervalMs', 'pongTimeoutMs', 'maxConnectionLifetimeMs'] as const) check.optionalInteger(key, o[key], DURATION);
  if (o['maxIncomingPerSecond'] !== undefined) {
    const m = check.options('maxIncomingPerSecond', o['maxIncomingPerSecond'], ['spot', 'usdm']);
    check.optionalInteger('maxIncomingPerSecond.spot', m['spot'], { min: 1 });
    check.optionalInteger('maxIncomingPerSecond.usdm', m['usdm'], { min: 1 });
  }
  if (o['rateLimits'] !== undefined) {
    const r = check.options('rateLimits', o['rateLimits'], RATE_LIMIT_KEYS);
    for (const key of RATE_LIMIT_KEYS) check.optionalInteger(`rateLimits.${key}`, r[key], { min: key === 'banAfterRejections' ? 0 : 1 });
  }
  if (o['bybit'] !== undefined) check.object('bybit', o['bybit']);
  if (o['okx'] !== undefined) check.object('okx', o['okx']);
  check.optionalBoolean('okxChecksums', o['okxChecksums']);
  check.optionalBoolean('legacyUsdmPaths', o['legacyUsdmPaths']);
  if (o['venues'] !== undefined) check.list('venues', o['venues'], (f, v) => check.oneOf(f, v, SIM_VENUES), { min: 1 });
  check.optionalInteger('portBase', o['portBase'], { min: 1, max: 65_535 - SIM_VENUES.length - 1 });
  check.optionalInteger('warmupSteps', o['warmupSteps'], { min: 0 });
  check.optionalInteger('startTime', o['startTime'], { min: 0 });
  if (o['accounts'] !== undefined) check.list('accounts', o['accounts'], (f, v) => check.object(f, v));
}
