import { commandDeclarations, errorKindStatus, type CommandType } from '@app/domain';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';

interface Operation {
  operationId?: string;
  responses: Record<string, { description?: string } | undefined>;
}

/**
 * The OpenAPI document's error responses come from the command declarations
 * (libs/domain `<stream>.commands.ts`): every code a command declares is
 * documented under its status, and no status is promised that it cannot answer.
 */
describe('command routes in OpenAPI', () => {
  let ledger: TestLedger;
  let operations: Map<string, Operation & { route: string }>;

  beforeAll(async () => {
    ledger = await startTestLedger();
    const doc = (await ledger.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, { post?: Operation }>;
    };
    operations = new Map(
      Object.entries(doc.paths).flatMap(([route, item]) =>
        item.post?.operationId ? [[item.post.operationId, { ...item.post, route }] as const] : [],
      ),
    );
  });
  afterAll(() => ledger.destroy());

  it('has one route per command the office sends, named by the command', () => {
    const sentBySagasOnly: CommandType[] = ['RecordCoChairElection'];
    const routed = Object.keys(commandDeclarations).filter(
      (type) => !sentBySagasOnly.includes(type as CommandType),
    );
    expect(routed.filter((type) => !operations.has(type))).toEqual([]);
  });

  it('documents every declared code under the status of its kind', () => {
    const missing: string[] = [];
    for (const [type, operation] of operations) {
      const declaration = commandDeclarations[type as CommandType];
      if (!declaration) continue;
      for (const { code, kind } of declaration.codes) {
        const status = String(errorKindStatus[kind]);
        if (!operation.responses[status]?.description?.includes(`\`${code}\``)) {
          missing.push(`${operation.route} ${status} ${code}`);
        }
      }
      const notFound = declaration.codes.some(({ kind }) => kind === 'not_found');
      if (!notFound && operation.responses['404']) missing.push(`${operation.route} promises 404`);
    }
    expect(missing).toEqual([]);
  });
});
