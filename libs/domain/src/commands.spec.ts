import {
  commandDeclaration,
  commandDeclarations,
  errorKindStatus,
  isCommandType,
  streamCommands,
} from './commands.js';
import { assertDeclared, deciderSpec } from './core/testing/decider-spec.js';
import { groupDecider, type AllocateSeat } from './group/group.decider.js';

describe('command declarations', () => {
  it('describes one command: stream, events and every code with its kind', () => {
    expect(commandDeclaration('VacateSeat')).toEqual({
      command: 'VacateSeat',
      stream: 'group',
      events: ['CoChairStoodDown', 'SeatVacated'],
      note: 'the first only if the holder is co-chair (reason `seat-vacated`)',
      codes: [
        { code: 'occurred_in_future', kind: 'rule' },
        { code: 'group_not_found', kind: 'not_found' },
        { code: 'group_dissolved', kind: 'rule' },
        { code: 'seat_not_found', kind: 'not_found' },
        { code: 'seat_already_vacated', kind: 'rule' },
        { code: 'vacated_before_allocated', kind: 'rule' },
        { code: 'stood_down_before_appointed', kind: 'rule' },
        { code: 'vacated_before_meeting', kind: 'rule' },
        { code: 'vacated_before_decision', kind: 'rule' },
        { code: 'vacated_before_co_chair_term_ended', kind: 'rule' },
      ],
    });
    expect(commandDeclaration('EstablishGroup').codes.map((c) => c.code)).not.toContain(
      'group_not_found',
    );
  });

  it('lists every command of every stream once', () => {
    const declared = Object.values(streamCommands).flatMap((commands) => Object.keys(commands));
    expect(Object.keys(commandDeclarations).sort()).toEqual([...declared].sort());
    expect(new Set(declared).size).toBe(declared.length);
    expect(isCommandType('AllocateSeat')).toBe(true);
    expect(isCommandType('toString')).toBe(false);
  });

  it('gives each code one kind across the ledger, so clients can switch on the code alone', () => {
    const kinds = new Map<string, Set<string>>();
    for (const { codes } of Object.values(commandDeclarations)) {
      for (const { code, kind } of codes) kinds.set(code, (kinds.get(code) ?? new Set()).add(kind));
    }
    const ambiguous = [...kinds].filter(([, k]) => k.size > 1).map(([code]) => code);
    expect(ambiguous).toEqual([]);
  });

  it('maps each kind to its HTTP status', () => {
    expect(errorKindStatus).toEqual({ rule: 422, not_found: 404, conflict: 409 });
  });
});

describe('deciderSpec thenThrows checks the declarations', () => {
  it('accepts a code declared for the command with the kind thrown', () => {
    expect(() => assertDeclared('AllocateSeat', 'lay_seats_full', 'rule')).not.toThrow();
    expect(() => assertDeclared('AllocateSeat', 'occurred_in_future', 'rule')).not.toThrow();
  });

  it('fails naming the command and code when the code is not declared for it', () => {
    expect(() => assertDeclared('AllocateSeat', 'group_exists', 'conflict')).toThrow(
      'AllocateSeat threw group_exists (conflict), which its declaration in group.commands.ts does not list',
    );
  });

  it('fails when the code is declared with another kind', () => {
    expect(() => assertDeclared('AllocateSeat', 'partner_not_found', 'rule')).toThrow(
      'AllocateSeat threw partner_not_found as rule; it is declared as not_found',
    );
  });

  it('fails for a command with no declaration', () => {
    expect(() => assertDeclared('Frobnicate', 'x', 'rule')).toThrow(
      'Command Frobnicate has no declaration',
    );
  });

  it('types thenThrows to the codes declared for the command', () => {
    const allocate: AllocateSeat = {
      type: 'AllocateSeat',
      data: {
        groupId: 'g1',
        seatId: 's1',
        partnerId: 'p1',
        constituency: 'lay',
        termEndsOn: null,
        occurredAt: '2014-01-01T00:00:00.000Z',
      },
    };
    const when = deciderSpec(groupDecider, { now: '2016-01-01T00:00:00.000Z' })
      .given([])
      .when(allocate);
    // Checked by `npm run typecheck` only: group_exists belongs to EstablishGroup.
    // @ts-expect-error: not a code AllocateSeat declares
    const _typeOnly = () => when.thenThrows('group_exists');
    when.thenThrows('group_not_found');
  });
});
