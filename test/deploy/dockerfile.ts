import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

/**
 * Just enough of a Dockerfile parser for the deploy tests: instructions with
 * continuation lines joined and comments dropped, grouped into stages, and
 * `COPY` / `ENV` / `WORKDIR` read the way the Docker builder reads them.
 */

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Copy {
  /** The stage (or image) named by `--from`, or null for the build context. */
  from: string | null;
  sources: string[];
  destination: string;
  /** The instruction as written, for messages. */
  text: string;
}

export interface Stage {
  name: string | null;
  base: string;
  instructions: Instruction[];
  /** WORKDIR in force at the end of the stage ('/' when none is set). */
  workdir: string;
  copies: Copy[];
  env: Record<string, string>;
}

export function readInstructions(path: string): Instruction[] {
  return readFileSync(path, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const space = line.search(/\s/);
      return space < 0
        ? { keyword: line.toUpperCase(), args: '' }
        : { keyword: line.slice(0, space).toUpperCase(), args: line.slice(space).trim() };
    });
}

/** The stages in order; `ARG`s declared before the first FROM are substituted in FROM lines. */
export function readStages(path: string): Stage[] {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const { keyword, args } of readInstructions(path)) {
    if (keyword === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = args.split('=');
      globalArgs[name.trim()] = value.trim();
      continue;
    }
    if (keyword === 'FROM') {
      const words = args
        .replace(/\$\{?(\w+)\}?/g, (_, name: string) => globalArgs[name] ?? '')
        .split(/\s+/)
        .filter((w) => !w.startsWith('--'));
      const as = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({
        name: as >= 0 ? (words[as + 1] ?? null) : null,
        base: words[0] ?? '',
        instructions: [],
        workdir: '/',
        copies: [],
        env: {},
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${keyword} before any FROM`);
    stage.instructions.push({ keyword, args });
    if (keyword === 'WORKDIR') stage.workdir = posix.resolve(stage.workdir, args);
    if (keyword === 'ENV') Object.assign(stage.env, parseEnv(args));
    if (keyword === 'COPY') stage.copies.push(parseCopy(args, stage.workdir));
  }
  return stages;
}

function parseCopy(args: string, workdir: string): Copy {
  const words = args.split(/\s+/);
  let from: string | null = null;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    const match = /^--from=(.+)$/.exec(flag);
    if (match) from = match[1]!;
  }
  const paths = args.includes('[')
    ? (JSON.parse(words.join(' ')) as string[])
    : words.filter((w) => w !== '');
  if (paths.length < 2) throw new Error(`COPY ${args}: needs a source and a destination`);
  const destination = posix.resolve(workdir, paths.at(-1)!);
  return { from, sources: paths.slice(0, -1), destination, text: `COPY ${args}` };
}

/** `ENV A=1 B="two"` and the legacy `ENV A 1`. */
function parseEnv(args: string): Record<string, string> {
  if (!/^\S+=/.test(args)) {
    const [name = '', ...rest] = args.split(/\s+/);
    return { [name]: rest.join(' ') };
  }
  const env: Record<string, string> = {};
  for (const match of args.matchAll(/(\w+)=("([^"]*)"|\S*)/g)) {
    env[match[1]!] = match[3] ?? match[2]!;
  }
  return env;
}
