// Regenerates the commands table in libs/domain/README.md from the command
// declarations (libs/domain/src/<stream>/<stream>.commands.ts).
// The domain is plain TypeScript with no I/O: transpile it to a scratch
// directory, import the renderer, and write the README section between its markers.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');
const source = join(root, 'libs/domain/src');
const readme = join(root, 'libs/domain/README.md');
const scratch = mkdtempSync(join(tmpdir(), 'docs-domain-'));
try {
  writeFileSync(join(scratch, 'package.json'), '{"type":"module"}');
  for (const file of readdirSync(source, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(join(source, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 },
    });
    const out = join(scratch, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  const { withCommandTable } = await import(pathToFileURL(join(scratch, 'command-table.js')).href);
  const before = readFileSync(readme, 'utf8');
  const after = withCommandTable(before);
  writeFileSync(readme, after);
  console.log(
    after === before ? 'libs/domain/README.md is up to date' : 'libs/domain/README.md updated',
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
