import { commandDeclarations, isCommandType, type CommandCode } from '../../commands.js';
import type { Decider } from '../decider.js';
import { DomainError } from '../domain-error.js';

/** The codes a spec may expect from a command: those its declaration lists. */
type ExpectedCode<C> = C extends { type: infer T extends string }
  ? T extends keyof typeof commandDeclarations
    ? CommandCode<T>
    : never
  : never;

/**
 * given/when/then for deciders (after emmett's DeciderSpecification):
 *   spec.given([events]).when(command).then([events])
 *   spec.given([events]).when(command).thenThrows('code')
 *   spec.given([events]).when(command).thenThrows('code', { ...details it must include })
 * `thenThrows` also checks that the command's declaration lists the code with
 * the kind thrown, so every refusal a spec exercises is declared.
 */
export function deciderSpec<C extends { type: string }, E, S, Ctx>(
  decider: Decider<C, E, S, Ctx>,
  defaultContext: Ctx,
) {
  return {
    given(events: readonly E[]) {
      return {
        when<T extends C>(command: T, context: Partial<Ctx> = {}) {
          const run = () => {
            const state = events.reduce(decider.evolve, decider.initialState());
            return decider.decide(command, state, { ...defaultContext, ...context });
          };
          return {
            then(expected: readonly E[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows(code: ExpectedCode<T>, details?: Record<string, unknown>) {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(DomainError);
              const { code: thrown, kind } = caught as DomainError;
              expect(thrown).toBe(code);
              assertDeclared(command.type, thrown, kind);
              if (details) expect((caught as DomainError).details).toMatchObject(details);
            },
          };
        },
      };
    },
  };
}

/** Fails naming the command, code and kind when a thrown code is not declared for it. */
export function assertDeclared(type: string, code: string, kind: string): void {
  if (!isCommandType(type)) {
    throw new Error(`Command ${type} has no declaration in any <stream>.commands.ts`);
  }
  const declared = commandDeclarations[type].codes.find((c) => c.code === code);
  if (!declared) {
    throw new Error(
      `${type} threw ${code} (${kind}), which its declaration in ` +
        `${commandDeclarations[type].stream}.commands.ts does not list`,
    );
  }
  if (declared.kind !== kind) {
    throw new Error(`${type} threw ${code} as ${kind}; it is declared as ${declared.kind}`);
  }
}
