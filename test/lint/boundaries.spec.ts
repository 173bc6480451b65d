import { ESLint } from 'eslint';
import { join } from 'node:path';

/**
 * The import boundaries in eslint.config.js bite: each snippet is linted as if it
 * lived at the given path (the file need not exist), with the project's own config
 * and only the boundary rule, so typed linting is not needed.
 */
const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});

async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

/** Loading the config and parser takes seconds on a loaded machine. */
const timeout = 60_000;

describe('import boundaries', () => {
  it.each([
    [
      'a library importing Nest',
      'libs/event-store/src/boundary-probe.ts',
      "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n",
      'libs/ import nothing from Nest',
    ],
    [
      'a library importing an app',
      'libs/projections/src/governance/boundary-probe.ts',
      "import { AppModule } from '../../../../apps/ledger-api/src/app.module.js';\nexport const probe = AppModule;\n",
      'libs/ import nothing from apps/',
    ],
    [
      'the domain importing Nest',
      'libs/domain/src/core/boundary-probe.ts',
      "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n",
      'libs/ import nothing from Nest',
    ],
    [
      'the CLI importing the API',
      'apps/ledger-cli/src/boundary-probe.ts',
      "import { AppModule } from '../../ledger-api/src/app.module.js';\nexport const probe = AppModule;\n",
      'apps/ledger-cli imports nothing from apps/ledger-api',
    ],
    [
      "the group stream importing the election stream's decider",
      'libs/domain/src/group/boundary-probe.ts',
      "import { electionDecider } from '../election/election.decider.js';\nexport const probe = electionDecider;\n",
      "libs/domain/src/group imports another stream's facts from ../facts/index.js only",
    ],
    [
      "the feedback stream importing the group stream's events",
      'libs/domain/src/feedback/boundary-probe.ts',
      "import type { GroupStanding } from '../group/group.events.js';\nexport type Probe = GroupStanding;\n",
      "libs/domain/src/feedback imports another stream's facts from ../facts/index.js only",
    ],
  ])(
    'refuses %s',
    async (_case, path, code, message) => {
      const errors = await boundaryErrors(path, code);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('no-restricted-imports');
      expect(errors[0]).toContain(message);
    },
    timeout,
  );

  it.each([
    [
      'a stream importing shared facts, its own events and core',
      'libs/domain/src/group/boundary-probe.ts',
      [
        "import type { ElectionResult } from '../facts/index.js';",
        "import type { GroupEvent } from './group.events.js';",
        "import { rule } from '../core/domain-error.js';",
        'export type Probe = [ElectionResult, GroupEvent, typeof rule];',
      ].join('\n') + '\n',
    ],
    [
      'the CLI importing the libraries',
      'apps/ledger-cli/src/boundary-probe.ts',
      "import { SqliteEventStore } from '@app/event-store';\nexport const probe = SqliteEventStore;\n",
    ],
    [
      'the API importing Nest',
      'apps/ledger-api/src/boundary-probe.ts',
      "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n",
    ],
  ])(
    'allows %s',
    async (_case, path, code) => {
      expect(await boundaryErrors(path, code)).toEqual([]);
    },
    timeout,
  );
});
