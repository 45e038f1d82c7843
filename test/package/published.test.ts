/**
 * What the package publishes, checked on a fresh build of `tsconfig.build.json` in a temporary directory laid out as
 * a consumer's `node_modules/venuekit`: `npm pack` ships LICENSE, README and the built entry points with their
 * declarations; every source map carries its sources (the .ts files are not shipped); the sources obey
 * `exactOptionalPropertyTypes`; and a strict TypeScript consumer (exactOptionalPropertyTypes, skipLibCheck off,
 * NodeNext) compiles against `venuekit` and `venuekit/testing`, and the README's examples, with only the package's
 * own dependencies (from package-lock.json, dev dependencies left out) installed next to it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readmeExamples, ROOT } from '../helpers/readme.js';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

interface PackageJson {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly exports: Record<string, string>;
  readonly bin: Record<string, string>;
}
interface LockEntry {
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };

function output(r: ReturnType<typeof spawnSync>): string {
  return `${String(r.stdout)}${String(r.stderr)}${r.error === undefined ? '' : String(r.error)}`;
}

describe('the published package', () => {
  let dir: string;
  let pkgDir: string;
  let build: ReturnType<typeof spawnSync>;
  let packed: string[];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'venuekit-package-'));
    pkgDir = join(dir, 'node_modules', pkg.name);
    mkdirSync(pkgDir, { recursive: true });
    // The package's build, with exactOptionalPropertyTypes on (it changes no emitted byte; errors still emit).
    build = spawnSync(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(pkgDir, 'dist'), '--exactOptionalPropertyTypes', 'true'], { cwd: ROOT, encoding: 'utf8' });
    for (const f of ['package.json', 'README.md', 'LICENSE']) copyFileSync(join(ROOT, f), join(pkgDir, f));
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--offline'], { cwd: pkgDir, encoding: 'utf8' });
    assert.equal(pack.status, 0, output(pack));
    const [first] = JSON.parse(pack.stdout) as Array<{ files: Array<{ path: string }> }>;
    packed = (first?.files ?? []).map((f) => f.path);
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('the sources compile under exactOptionalPropertyTypes (an optional property code may set to undefined says `| undefined`)', () => {
    assert.equal(build.status, 0, output(build));
  });

  test('npm pack ships LICENSE, README and the built entry points, each .js with its declarations and source map, nothing else', () => {
    for (const f of ['LICENSE', 'README.md', 'package.json']) assert.ok(packed.includes(f), `${f} is not shipped`);
    assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License[\s\S]*venuekit contributors/);
    const targets = [...Object.values(pkg.exports), ...Object.values(pkg.bin)].map((t) => t.replace(/^\.\//, ''));
    for (const t of targets) {
      assert.ok(packed.includes(t), `${t} (exports/bin) is not shipped`);
      assert.ok(packed.includes(t.replace(/\.js$/, '.d.ts')), `${t}'s declarations are not shipped`);
    }
    const js = packed.filter((p) => p.endsWith('.js'));
    assert.ok(js.length > 50, `only ${js.length} .js files`);
    for (const p of packed) assert.ok(['LICENSE', 'README.md', 'package.json'].includes(p) || p.startsWith('dist/src/'), `${p} should not be shipped`);
    for (const p of js) {
      assert.ok(packed.includes(`${p}.map`), `${p} has no shipped source map`);
      assert.ok(packed.includes(p.replace(/\.js$/, '.d.ts')), `${p} has no shipped declarations`);
      const last = readFileSync(join(pkgDir, p), 'utf8').trimEnd().split('\n').at(-1) ?? '';
      const url = /^\/\/# sourceMappingURL=(.+)$/.exec(last)?.[1];
      assert.ok(url === undefined || packed.includes(join(dirname(p), url)), `${p} points at a map that is not shipped: ${String(url)}`);
    }
  });

  test('every shipped source map carries the exact text of each source it names (the .ts files are not shipped)', () => {
    const maps = packed.filter((p) => p.endsWith('.map'));
    assert.ok(maps.length > 50);
    for (const p of maps) {
      const map = JSON.parse(readFileSync(join(pkgDir, p), 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null>; sourceRoot?: string };
      assert.ok(map.sources.length > 0, `${p} names no source`);
      assert.equal(map.sourcesContent?.length, map.sources.length, `${p} does not carry its sources`);
      map.sources.forEach((s, i) => {
        const inPackage = join(dirname(p), map.sourceRoot ?? '', s);
        // Resolved in the package, a source is outside what is shipped; the text must be in the map.
        assert.ok(!packed.includes(inPackage), `${p}: ${s} is shipped, yet the maps inline sources`);
        const onDisk = resolve(pkgDir, dirname(p), map.sourceRoot ?? '', s);
        assert.equal(map.sourcesContent?.[i], readFileSync(onDisk, 'utf8'), `${p}: the inlined text of ${s} differs from the source`);
      });
    }
  });

  test('a strict consumer (exactOptionalPropertyTypes, no skipLibCheck, NodeNext) compiles against venuekit, venuekit/testing and the README examples, with only the dependencies installed', () => {
    // package.json and the lock file agree on what a consumer installs.
    const root = lock.packages[''];
    assert.deepEqual(root?.dependencies ?? {}, pkg.dependencies ?? {}, 'package-lock.json root dependencies differ from package.json');
    assert.deepEqual(root?.devDependencies ?? {}, pkg.devDependencies ?? {}, 'package-lock.json root devDependencies differ from package.json');
    // What `npm install venuekit` brings: every locked package not marked dev (from this checkout's node_modules).
    const installed: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '' || entry.dev === true || path.lastIndexOf('node_modules/') !== 0) continue;
      const from = join(ROOT, path);
      if (!existsSync(from)) {
        assert.ok(entry.optional === true, `${path} is a dependency but not installed here`);
        continue;
      }
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      symlinkSync(from, join(dir, path), 'dir');
      installed.push(path.slice('node_modules/'.length));
    }
    assert.ok(installed.includes('ws'), `installed: ${installed.join(', ')}`);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['ES2023', 'ESNext.Disposable'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, noEmit: true },
      include: ['*.ts'],
    }));
    writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
    readmeExamples().forEach((e, i) => writeFileSync(join(dir, `readme-${i + 1}.ts`), `${e.code}\nexport {};\n`));
    const r = spawnSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, output(r));
  });
});

/** A consumer touching both entry points, passing `undefined` where the package's own code does. */
const CONSUMER = `
import { binance, bybit, okx, Decimal, VenueError, maxNotional, type Balances, type Fill, type Market, type Order, type OrderBookView, type Position } from 'venuekit';
import { startSimulator, SIM_DEMO_ACCOUNT, Market as SimMarket, SimTradingEngine, type SimulatorOptions } from 'venuekit/testing';

export async function main(retryAfterMs: number | undefined, signal: AbortSignal | undefined): Promise<string> {
  const options: SimulatorOptions = { symbols: ['BTC/USDT'], tickMs: 0 };
  await using sim = await startSimulator(options);
  await using ex = binance({ urls: sim.endpoints.binance, credentials: SIM_DEMO_ACCOUNT });
  ex.addRiskCheck(maxNotional('100'));
  const markets: Record<string, Market> = await ex.loadMarkets();
  const o: Order = await ex.createOrder('BTC/USDT', 'limit', 'buy', '0.001', Decimal.from('63000'));
  const fills: readonly Fill[] = o.fills;
  const b: Balances = await ex.fetchBalance();
  const p: Position[] = await ex.fetchPositions();
  for await (const book of ex.watchOrderBook('BTC/USDT', { depth: 20, ...(signal === undefined ? {} : { signal }) })) {
    const ob: OrderBookView = book;
    void ob;
    break;
  }
  const err = new VenueError('rate-limited', 'slow down', { venue: 'binance', retryAfterMs });
  const engine: SimTradingEngine = sim.tradingOf('binance');
  const market: SimMarket = sim.marketOf('binance');
  void [bybit, okx, markets, fills, b, p, engine, market];
  return err.code + o.remaining.toString();
}
`;
