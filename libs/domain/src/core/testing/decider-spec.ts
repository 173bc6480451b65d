import type { Decider } from '../decider.js';
import { DomainError } from '../domain-error.js';

/**
 * given/when/then for deciders (after emmett's DeciderSpecification):
 *   spec.given([events]).when(command).then([events])
 *   spec.given([events]).when(command).thenThrows('code', { ...details it must include })
 */
export function deciderSpec<C, E, S, Ctx>(decider: Decider<C, E, S, Ctx>, defaultContext: Ctx) {
  return {
    given(events: readonly E[]) {
      return {
        when(command: C, context: Partial<Ctx> = {}) {
          const run = () => {
            const state = events.reduce(decider.evolve, decider.initialState());
            return decider.decide(command, state, { ...defaultContext, ...context });
          };
          return {
            then(expected: readonly E[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows(code: string, details?: Record<string, unknown>) {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(DomainError);
              expect((caught as DomainError).code).toBe(code);
              if (details) expect((caught as DomainError).details).toMatchObject(details);
            },
          };
        },
      };
    },
  };
}
