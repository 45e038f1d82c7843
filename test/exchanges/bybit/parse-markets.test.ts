/**
 * Bybit instruments-info → Market on the real fixtures (spot, linear, linear pre-listing, option), plus
 * variants derived from them for inverse, USDC and dated contracts and malformed fields.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Decimal } from '../../../src/core/decimal.js';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import { parseSymbol, symbolKind } from '../../../src/core/symbols.js';
import { nextPageCursor, parseMarkets } from '../../../src/exchanges/bybit/parse.js';
import { fixtureText } from '../../helpers/wait.js';

type Envelope = { retCode: number; result: { category: string; list: Array<Record<string, unknown>>; nextPageCursor?: string } };
const load = (name: string): Envelope => parseJson(fixtureText(`bybit/rest/${name}`)) as Envelope;
const dec = (s: string): Decimal => Decimal.from(s);

/** The linear fixture with its one instrument replaced by `fields` over the original. */
function linearVariant(fields: Record<string, unknown>, category = 'linear'): Envelope {
  const body = load('instruments-info-linear.json');
  const item = { ...(body.result.list[0] as Record<string, unknown>), ...fields };
  return { ...body, result: { ...body.result, category, list: [item] } };
}

test('a spot instrument becomes BTC/USDT with tick, basePrecision step, quantity and notional limits', () => {
  const [m] = parseMarkets(load('instruments-info-spot.json'), 'spot');
  assert.ok(m);
  assert.equal(m.symbol, 'BTC/USDT');
  assert.deepEqual([m.id, m.venue, m.type, m.segment, m.base, m.quote], ['BTCUSDT', 'bybit', 'spot', 'spot', 'BTC', 'USDT']);
  assert.equal(m.settle, undefined);
  assert.deepEqual([m.status, m.venueStatus], ['active', 'Trading']);
  assert.ok(m.tickSize.eq('0.1') && m.stepSize.eq('0.000001'));
  assert.ok(m.minQty?.eq('0.000011') && m.maxQty?.eq('83') && m.marketMaxQty?.eq('41.5'));
  assert.ok(m.minNotional?.eq('5') && m.maxNotional?.eq('8000000'));
  assert.deepEqual(m.precision, { price: 1, amount: 6 });
  assert.equal(m.tickSize.toString(), '0.1', 'venue strings kept exactly');
});

test('a linear perpetual becomes BTC/USDT:USDT with qtyStep, market-order max and minNotionalValue', () => {
  const [m] = parseMarkets(load('instruments-info-linear.json'), 'linear');
  assert.ok(m);
  assert.equal(m.symbol, 'BTC/USDT:USDT');
  assert.deepEqual([m.type, m.segment, m.settle, m.linear], ['swap', 'linear', 'USDT', true]);
  assert.ok(m.contractSize?.eq(Decimal.ONE));
  assert.equal(m.expiry, undefined);
  assert.ok(m.tickSize.eq('0.10') && m.stepSize.eq('0.001'));
  assert.ok(m.minQty?.eq('0.001') && m.maxQty?.eq('1190') && m.marketMaxQty?.eq('500'));
  assert.ok(m.minNotional?.eq('5'));
  assert.ok(m.minPrice?.eq('0.10') && m.maxPrice?.eq('1999999.80'));
  assert.deepEqual(m.precision, { price: 1, amount: 3 }, 'precision from the normalized step (0.10 → 1 decimal)');
  assert.deepEqual(symbolKind(parseSymbol(m.symbol)), { type: 'swap', linear: true });
});

test('a pre-listing contract is inactive and keeps PreLaunch as its venue status', () => {
  const [m] = parseMarkets(load('instruments-info-linear-prelisting.json'), 'linear');
  assert.ok(m);
  assert.equal(m.symbol, 'BIO/USDT:USDT');
  assert.deepEqual([m.status, m.venueStatus], ['inactive', 'PreLaunch']);
  assert.ok(m.stepSize.eq('1') && m.marketMaxQty?.eq('14000'));
});

test('every non-Trading status is inactive with the venue string kept', () => {
  for (const status of ['PreLaunch', 'Settling', 'Delivering', 'Closed']) {
    const [m] = parseMarkets(linearVariant({ status }), 'linear');
    assert.deepEqual([m?.status, m?.venueStatus], ['inactive', status]);
  }
});

test('options are skipped, not an error', () => {
  assert.deepEqual(parseMarkets(load('instruments-info-option.json'), 'option'), []);
  assert.deepEqual(parseMarkets(load('instruments-info-option.json'), 'linear'), [], 'an option list is recognised by its category');
});

test('a USDC perpetual (BTCPERP) becomes BTC/USDC:USDC like ccxt names it', () => {
  const [m] = parseMarkets(linearVariant({ symbol: 'BTCPERP', quoteCoin: 'USDC', settleCoin: 'USDC' }), 'linear');
  assert.deepEqual([m?.symbol, m?.id, m?.type], ['BTC/USDC:USDC', 'BTCPERP', 'swap']);
});

test('dated linear and inverse futures take their expiry from deliveryTime (YYMMDD, UTC)', () => {
  const delivery = Date.UTC(2026, 11, 25, 8, 0, 0); // 2026-12-25T08:00Z
  const [lin] = parseMarkets(linearVariant({ symbol: 'BTCUSDT-25DEC26', contractType: 'LinearFutures', deliveryTime: String(delivery) }), 'linear');
  assert.deepEqual([lin?.symbol, lin?.type, lin?.expiry], ['BTC/USDT:USDT-261225', 'future', delivery]);

  const inverseDelivery = Date.UTC(2026, 11, 27, 8, 0, 0);
  const inverse = linearVariant(
    { symbol: 'BTCUSDZ26', contractType: 'InverseFutures', quoteCoin: 'USD', settleCoin: 'BTC', deliveryTime: String(inverseDelivery), lotSizeFilter: { qtyStep: '1', minOrderQty: '1', maxOrderQty: '1000000', minNotionalValue: '' } },
    'inverse',
  );
  const [inv] = parseMarkets(inverse, 'inverse');
  assert.deepEqual([inv?.symbol, inv?.type, inv?.linear, inv?.settle], ['BTC/USD:BTC-261227', 'future', false, 'BTC']);
  assert.equal(inv?.minNotional, undefined, 'an empty limit reads as none');
  assert.deepEqual(symbolKind(parseSymbol(inv?.symbol ?? '')), { type: 'future', linear: false });
});

test('an inverse perpetual becomes BTC/USD:BTC (settle from settleCoin, else the base coin)', () => {
  const [m] = parseMarkets(linearVariant({ symbol: 'BTCUSD', contractType: 'InversePerpetual', quoteCoin: 'USD', settleCoin: 'BTC' }, 'inverse'), 'inverse');
  assert.deepEqual([m?.symbol, m?.type, m?.segment, m?.linear], ['BTC/USD:BTC', 'swap', 'inverse', false]);
  const [noSettle] = parseMarkets(linearVariant({ symbol: 'ETHUSD', baseCoin: 'ETH', contractType: 'InversePerpetual', quoteCoin: 'USD', settleCoin: '' }, 'inverse'), 'inverse');
  assert.equal(noSettle?.symbol, 'ETH/USD:ETH');
});

test('the next-page cursor is read from linear pages and absent on the last one', () => {
  assert.equal(nextPageCursor(load('instruments-info-linear-prelisting.json')), 'first%3DBIOUSDT%26last%3DBIOUSDT');
  assert.equal(nextPageCursor(load('instruments-info-linear.json')), undefined);
});

test('a malformed field is a decode error naming the field', () => {
  const bad = linearVariant({ priceFilter: { minPrice: '0.1', maxPrice: '1', tickSize: 'abc' } });
  assert.throws(
    () => parseMarkets(bad, 'linear'),
    (e: unknown) => VenueError.is(e, 'decode') && /result\.list\[0\]\.priceFilter\.tickSize/.test(e.message),
  );
  const zeroStep = linearVariant({ lotSizeFilter: { qtyStep: '0', minOrderQty: '1', maxOrderQty: '2' } });
  assert.throws(() => parseMarkets(zeroStep, 'linear'), (e: unknown) => VenueError.is(e, 'decode') && /qtyStep/.test(e.message));
  assert.throws(() => parseMarkets({ retCode: 0, result: {} }, 'spot'), (e: unknown) => VenueError.is(e, 'decode'));
});

test('an error envelope handed to the parser throws its mapped error', () => {
  const body = parseJson(fixtureText('bybit/rest/error-10006-too-many-visits-recorded.json'));
  assert.throws(() => parseMarkets(body, 'spot'), (e: unknown) => VenueError.is(e, 'rate-limited') && e.venueCode === '10006');
});

test('unknown extra fields are tolerated', () => {
  const [m] = parseMarkets(linearVariant({ someNewField: { nested: [1, 2] } }), 'linear');
  assert.equal(m?.symbol, 'BTC/USDT:USDT');
  assert.ok(dec('1').eq(m?.contractSize ?? Decimal.ZERO));
});
