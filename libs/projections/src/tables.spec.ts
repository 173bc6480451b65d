import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLedgerProjections } from './ledger-projections.js';

/** Each projection's table prefix, as libs/projections/README.md explains them. */
const PREFIXES: Record<string, string> = {
  governance: 'gov_',
  influence: 'inf_',
  'partner-facts': 'pf_',
  reports: 'rep_',
  elections: 'el_',
  programmes: 'prg_',
  'response-clock': 'clk_',
  expenses: 'exp_',
  'timeline-index': 'tl_',
};
/** The read store's own tables, owned by no projection. */
const STORE_TABLES = ['checkpoints', 'projection_schemas'];

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
/** Tables in the README's tables, by the section (`### \`gov_\` — …`) they are listed under. */
const documented = new Map<string, string | null>();
let section: string | null = null;
for (const line of readme.split('\n')) {
  const heading = /^### `(\w+)`/.exec(line);
  if (heading) section = heading[1]!;
  else if (line.startsWith('## ')) section = null;
  const row = /^\| `(\w+)`/.exec(line);
  if (row) documented.set(row[1]!, section);
}

describe('read-model tables', () => {
  const projections = createLedgerProjections();

  it.each(projections.map((p) => [p.name, p.tables] as const))(
    '%s: every table carries its prefix and is explained in the README under it',
    (name, tables) => {
      const prefix = PREFIXES[name];
      expect(prefix).toBeDefined();
      for (const table of tables) {
        expect(table.startsWith(prefix!)).toBe(true);
        expect(documented.get(table)).toBe(prefix);
      }
    },
  );

  it('the README explains no table that nothing owns', () => {
    const owned = new Set([...projections.flatMap((p) => p.tables), ...STORE_TABLES]);
    expect([...documented.keys()].filter((table) => !owned.has(table))).toEqual([]);
    expect(STORE_TABLES.every((table) => documented.get(table) === null)).toBe(true);
  });

  it('no two projections share a prefix', () => {
    const prefixes = Object.values(PREFIXES);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
});
