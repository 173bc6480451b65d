import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { freePort } from '../support/ledger-process.js';
import { TEST_API_KEYS } from '../support/test-ledger.js';
import { readStages, type Copy } from './dockerfile.js';

/**
 * The image starts: with no container engine on the development machines,
 * this assembles exactly what the Dockerfile's runtime stage copies (parsed
 * from deploy/Dockerfile, never listed here) into a temporary directory laid
 * out like the image's WORKDIR, and starts the app there as the image's CMD
 * does, until `/health/ready` answers 200. The builder stage's result is this
 * checkout after `npm run build` (node_modules is linked, not copied).
 *
 * Each COPY line is also left out in turn: the app must then fail to start,
 * so the stage copies nothing it does not need and misses nothing it does.
 */

const PROCESS_TIMEOUT_MS = 180_000;
const root = resolve(process.cwd());
const dockerfile = join(root, 'deploy', 'Dockerfile');
const stages = readStages(dockerfile);
const runtime = stages.at(-1)!;
const builder = (name: string) => stages.find((stage) => stage.name === name);

/** What `npm ci` and `npm run build` leave in the builder's WORKDIR beyond what it copies in. */
const BUILD_PRODUCTS = ['node_modules', 'dist'];

/**
 * Whether a COPY from the build context puts something at `path` (Docker's
 * rules: a directory's contents go into the destination; a file goes to the
 * destination, or into it when it is a directory — several sources, or a
 * trailing slash).
 */
function copiesFromContext(copy: Copy, path: string): boolean {
  const intoDirectory = copy.sources.length > 1 || /\/$/.test(copy.text.split(/\s+/).at(-1)!);
  return copy.sources.some((source) => {
    const inContext = join(root, source);
    if (!existsSync(inContext)) return false;
    if (statSync(inContext).isDirectory()) {
      const below = posix.relative(copy.destination, path);
      return !below.startsWith('..') && existsSync(join(inContext, below));
    }
    const target = intoDirectory
      ? posix.join(copy.destination, posix.basename(source))
      : copy.destination;
    return target === path;
  });
}

/** Where a COPY source comes from in this checkout, or why it could not come from anywhere. */
function sourceInCheckout(copy: Copy, source: string): string {
  if (copy.from === null) return join(root, source);
  const stage = builder(copy.from);
  if (!stage) throw new Error(`${copy.text}: --from=${copy.from} is not a stage of the Dockerfile`);
  const inStage = posix.resolve(stage.workdir, source);
  const relativeToWorkdir = posix.relative(stage.workdir, inStage);
  if (relativeToWorkdir.startsWith('..')) {
    throw new Error(`${copy.text}: ${inStage} is outside the ${copy.from} stage's WORKDIR`);
  }
  const top = relativeToWorkdir.split('/')[0]!;
  const copiedIn = stage.copies.some((c) => c.from === null && copiesFromContext(c, inStage));
  if (!copiedIn && !BUILD_PRODUCTS.includes(top)) {
    throw new Error(`${copy.text}: the ${copy.from} stage neither copies nor builds ${inStage}`);
  }
  return join(root, relativeToWorkdir);
}

/** The runtime stage's files in a new directory standing for its WORKDIR, leaving out `skip`. */
function assemble(skip?: Copy): string {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-image-'));
  for (const copy of runtime.copies) {
    if (copy === skip) continue;
    for (const source of copy.sources) {
      const from = sourceInCheckout(copy, source);
      if (!existsSync(from))
        throw new Error(`${copy.text}: ${from} does not exist (npm run build?)`);
      const to = join(dir, posix.relative(runtime.workdir, copy.destination));
      mkdirSync(dirname(to), { recursive: true });
      if (relative(root, from) === 'node_modules') symlinkSync(from, to, 'dir');
      else cpSync(from, to, { recursive: true });
    }
  }
  return dir;
}

/** The image's CMD, started in `dir` with the image's ENV; resolves once ready, or with how it ended. */
async function start(
  dir: string,
): Promise<{ ready: boolean; url: string; output: string; stop(): Promise<void> }> {
  const cmd = runtime.instructions.filter((i) => i.keyword === 'CMD').at(-1);
  const [command, ...args] = JSON.parse(cmd!.args) as string[];
  expect(command).toBe('node');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-image-data-'));
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(LEDGER_|EVENTSTORE_|PORT$|HOST$)/.test(k)),
  );
  // Without module-syntax detection, so that the app's "type": "module" (package.json) counts.
  const child = spawn(process.execPath, ['--no-experimental-detect-module', ...args], {
    cwd: dir,
    env: {
      ...inherited,
      ...runtime.env,
      // Where the image has a /data volume and publishes the port.
      LEDGER_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LEDGER_API_KEYS: TEST_API_KEYS,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.status === 200) return { ready: true, url, output, stop };
    } catch {
      // not listening yet
    }
    await Promise.race([exited, new Promise((done) => setTimeout(done, 100))]);
  }
  await stop();
  return { ready: false, url, output, stop };
}

describe('deploy/Dockerfile runtime stage (assembled from its COPY lines)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('copies only from the build context or an earlier stage, and the build context sends it', () => {
    expect(runtime.copies.length).toBeGreaterThan(0);
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const stage of stages) {
      for (const copy of stage.copies.filter((c) => c.from === null)) {
        for (const source of copy.sources) {
          expect({ copy: copy.text, ignored: ignored.includes(source.replace(/\/$/, '')) }).toEqual(
            {
              copy: copy.text,
              ignored: false,
            },
          );
        }
      }
    }
    for (const copy of runtime.copies) {
      for (const source of copy.sources)
        expect(existsSync(sourceInCheckout(copy, source))).toBe(true);
    }
  });

  it(
    'starts from exactly those files and answers /health/ready and the page',
    async () => {
      const dir = assemble();
      dirs.push(dir);
      const app = await start(dir);
      try {
        if (!app.ready) throw new Error(`the assembled image did not become ready:\n${app.output}`);
        const page = await fetch(`${app.url}/`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      } finally {
        await app.stop();
      }
    },
    PROCESS_TIMEOUT_MS,
  );

  it.each(runtime.copies.map((copy) => [copy.text, copy] as const))(
    'does not start without %s',
    async (_text, copy) => {
      const dir = assemble(copy);
      dirs.push(dir);
      const app = await start(dir);
      await app.stop();
      expect(app.ready).toBe(false);
    },
    PROCESS_TIMEOUT_MS,
  );
});
