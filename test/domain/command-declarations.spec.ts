import { everyCommandErrors, streamCommands, type StreamCategory } from '@app/domain';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Reads the domain's source, not its behaviour: every error code a stream's
 * `decide` can reach (through its own helpers and shared ones such as
 * `assertGroupActiveAt` or `assertNotBefore`) must be declared for that stream,
 * and every declared code must be reachable. A code is any snake_case string
 * literal in a reachable function: codes are the only such literals there.
 */
const root = resolve(import.meta.dirname, '../../libs/domain/src');
const CODE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;
/** The error constructors themselves: their bodies hold kinds, not codes. */
const SINKS = new Set([join(root, 'core/domain-error.ts')]);

interface Source {
  file: string;
  ast: ts.SourceFile;
  functions: Map<string, ts.Node>;
  imports: Map<string, string>;
}

function sources(): Map<string, Source> {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.includes('testing'))
    .map((f) => join(root, f));
  return new Map(files.map((file) => [file, parse(file)]));
}

function parse(file: string): Source {
  const ast = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const functions = new Map<string, ts.Node>();
  const imports = new Map<string, string>();
  for (const statement of ast.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      functions.set(statement.name.text, statement);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer) functions.set(d.name.text, d.initializer);
      }
    } else if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.moduleSpecifier.text.startsWith('.')
    ) {
      const from = resolve(dirname(file), statement.moduleSpecifier.text.replace(/\.js$/, '.ts'));
      const named = statement.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) {
        for (const e of named.elements) imports.set(e.name.text, from);
      }
    } else if (
      // A re-export (the shared facts module): the name is defined where it points.
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      const from = resolve(dirname(file), statement.moduleSpecifier.text.replace(/\.js$/, '.ts'));
      for (const e of statement.exportClause.elements) imports.set(e.name.text, from);
    }
  }
  return { file, ast, functions, imports };
}

/** Where an imported name is defined, following re-exports. */
function definitionOf(
  all: Map<string, Source>,
  file: string,
  name: string,
): { source: Source; fn: ts.Node } | undefined {
  for (let at = all.get(file), hops = 0; at && hops < 5; hops++) {
    const fn = at.functions.get(name);
    if (fn) return { source: at, fn };
    const next = at.imports.get(name);
    at = next ? all.get(next) : undefined;
  }
  return undefined;
}

/** Codes reachable from `decide<Stream>`, each with where it is written. */
function reachableCodes(all: Map<string, Source>, stream: StreamCategory): Map<string, string> {
  const codes = new Map<string, string>();
  const seen = new Set<ts.Node>();
  const entry = join(root, stream, `${stream}.decider.ts`);
  const name = `decide${stream[0]!.toUpperCase()}${stream.slice(1)}`;
  const visit = (source: Source, fn: ts.Node) => {
    if (seen.has(fn) || SINKS.has(source.file)) return;
    seen.add(fn);
    const walk = (node: ts.Node): void => {
      if (
        (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
        CODE.test(node.text) &&
        !codes.has(node.text)
      ) {
        const { line } = source.ast.getLineAndCharacterOfPosition(node.getStart());
        codes.set(node.text, `${relative(root, source.file)}:${line + 1}`);
      }
      if (ts.isIdentifier(node)) {
        const local = source.functions.get(node.text);
        const from = source.imports.get(node.text);
        const imported = from ? definitionOf(all, from, node.text) : undefined;
        if (local) visit(source, local);
        else if (imported) visit(imported.source, imported.fn);
      }
      ts.forEachChild(node, walk);
    };
    walk(fn);
  };
  const source = all.get(entry);
  const decide = source?.functions.get(name);
  if (!source || !decide) throw new Error(`No ${name} in ${entry}`);
  visit(source, decide);
  return codes;
}

const declaredFor = (stream: StreamCategory): Set<string> =>
  new Set([
    ...Object.keys(everyCommandErrors),
    ...Object.values(streamCommands[stream]).flatMap((c) => Object.keys(c.errors)),
  ]);

const all = sources();
const streams = Object.keys(streamCommands) as StreamCategory[];

describe('command declarations match the deciders’ source', () => {
  it.each(streams)('every code the %s decider can throw is declared for it', (stream) => {
    const declared = declaredFor(stream);
    const undeclared = [...reachableCodes(all, stream)]
      .filter(([code]) => !declared.has(code))
      .map(([code, at]) => `${code} (${at})`);
    expect(undeclared).toEqual([]);
  });

  it.each(streams)('every code declared for %s can be thrown by its decider', (stream) => {
    const thrown = reachableCodes(all, stream);
    const dead = [...declaredFor(stream)].filter((code) => !thrown.has(code));
    expect(dead).toEqual([]);
  });

  it('finds codes passed through helpers, not only rule/notFound/conflict calls', () => {
    const feedback = reachableCodes(all, 'feedback');
    // thrown inside assertGroupActiveAt (group.events.ts) and assertNotInFuture (core)
    expect(feedback.get('group_dissolved')).toMatch(/^group\/group\.events\.ts:\d+$/);
    expect(feedback.get('occurred_in_future')).toMatch(/^core\/business-time\.ts:\d+$/);
    // a code given to a helper: assertGroupActiveAt(…, 'heard_before_group_established')
    expect(feedback.has('heard_before_group_established')).toBe(true);
    expect(reachableCodes(all, 'group').has('duplicate_attendance')).toBe(true);
  });
});
