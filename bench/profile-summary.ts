import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  /** Share of all samples, in percent. */
  selfPercent: number;
  totalPercent: number;
}

const short = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '~/')
    .replace(/^.*\/dist\//, '');

/**
 * A `--cpu-prof` profile as two lists: functions by self time, and by total
 * time (self plus callees; a recursive function counted once per sample).
 * Names are `function (file:line)`, files relative to dist/ or node_modules.
 */
export function summariseProfile(profile: CpuProfile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const name = (node: ProfileNode) =>
    `${node.callFrame.functionName || '(anonymous)'} (${short(node.callFrame.url)}:${node.callFrame.lineNumber + 1})`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const node = byId.get(id)!;
    self.set(name(node), (self.get(name(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = name(byId.get(at)!);
      if (seen.has(n)) continue;
      seen.add(n);
      total.set(n, (total.get(n) ?? 0) + dt);
    }
  });
  const list = (map: Map<string, number>): ProfileLine[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([n]) => ({
        name: n,
        selfPercent: Math.round(((self.get(n) ?? 0) / all) * 1000) / 10,
        totalPercent: Math.round(((total.get(n) ?? 0) / all) * 1000) / 10,
      }));
  return { seconds: Math.round(all / 1e5) / 10, bySelf: list(self), byTotal: list(total) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const summary = summariseProfile(
    JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CpuProfile,
    Number(process.argv[3] ?? 25),
  );
  console.log(`${summary.seconds} s sampled\n\nby self time:`);
  for (const l of summary.bySelf) console.log(`${String(l.selfPercent).padStart(5)}%  ${l.name}`);
  console.log('\nby total time (self + callees):');
  for (const l of summary.byTotal) console.log(`${String(l.totalPercent).padStart(5)}%  ${l.name}`);
}
