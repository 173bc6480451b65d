import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { readStages } from './dockerfile.js';

/**
 * `engines.node` says the truth: every package the app runs with (the
 * lockfile's non-dev packages, read from node_modules) accepts the lowest
 * Node of each range `engines.node` allows, and the image's Node satisfies it.
 */

const root = resolve(process.cwd());
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; optional?: boolean }>;
};

/**
 * ESM-only packages that declare `>=22` yet load on Node 20.19+ (`require(esm)`,
 * unflagged there), which the whole suite runs on: `content-disposition` 3 and
 * `cookie` 2 (through @fastify/static and light-my-request), `file-type` 22
 * (through @nestjs/common). On Node 20 they hold the app to 20.19, never lower.
 */
const ABOVE_THEIR_NEEDS: Record<string, string> = {
  'content-disposition': '>=22',
  cookie: '>=22',
  'file-type': '>=22',
};

/** The lowest version in each `||` branch of a range (`^20.19.0 || >=22.12.0` → 20.19.0, 22.12.0). */
const lowestOfEachBranch = (range: string): string[] =>
  range.split('||').map((branch) => semver.minVersion(branch.trim())!.version);

const runtimePackages = Object.entries(lock.packages)
  .filter(([path, meta]) => path !== '' && !meta.dev)
  .flatMap(([path]) => {
    const manifest = join(root, path, 'package.json');
    if (!existsSync(manifest)) return []; // an optional package for another platform
    const { name, engines } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name: string;
      engines?: { node?: string };
    };
    return engines?.node ? [{ name, path, range: engines.node }] : [];
  });

describe('package.json engines.node', () => {
  const lowest = lowestOfEachBranch(pkg.engines.node);

  it('is a valid range whose lowest Node is at least 20.19 (require(esm))', () => {
    expect(semver.validRange(pkg.engines.node)).not.toBeNull();
    for (const version of lowest) expect(semver.gte(version, '20.19.0')).toBe(true);
  });

  it('is accepted by every package the app runs with', () => {
    expect(runtimePackages.length).toBeGreaterThan(20);
    const refusing = runtimePackages.flatMap(({ name, path, range }) =>
      lowest
        .filter((version) => !semver.satisfies(version, range))
        .filter((version) => !(ABOVE_THEIR_NEEDS[name] === range && semver.gte(version, '20.19.0')))
        .map((version) => `${path} (${range}) refuses Node ${version}`),
    );
    expect(refusing).toEqual([]);
  });

  it('is met by the Node the image runs, and by the Node running this suite', () => {
    const base = readStages(join(root, 'deploy', 'Dockerfile')).at(-1)!.base;
    const version = /^node:(\d+\.\d+\.\d+)-/.exec(base)?.[1];
    expect(version).toBeDefined();
    expect(semver.satisfies(version!, pkg.engines.node)).toBe(true);
    expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  });
});
