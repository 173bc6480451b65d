import type { DomainErrorKind } from './domain-error.js';

/**
 * One command's contract, declared once (`<stream>/<stream>.commands.ts`): the
 * events it may append and every code it can be refused with, each with its
 * kind. The error helpers' types, the decider specs, the README's table and
 * the HTTP layer's error responses all come from these declarations.
 */
export interface CommandDeclaration<EventType extends string = string> {
  readonly events: readonly EventType[];
  /** Said beside the events in the README when they are conditional or repeated. */
  readonly note?: string;
  /** Code → kind, in the order the decider checks them. */
  readonly errors: Readonly<Record<string, DomainErrorKind>>;
}

/** A stream's commands by their `type`. */
export type CommandDeclarations<EventType extends string = string> = Readonly<
  Record<string, CommandDeclaration<EventType>>
>;

/** Codes any command can fail with: `assertNotInFuture` runs before every decision. */
export const everyCommandErrors = { occurred_in_future: 'rule' } as const;

/** The codes of `kind` in a union of `errors` records. */
export type CodesOfKind<Errors, Kind extends DomainErrorKind> = Errors extends unknown
  ? { [Code in keyof Errors]: Errors[Code] extends Kind ? Code : never }[keyof Errors]
  : never;

/**
 * Compiles only when every member of A is one of B. Used both ways, it ties
 * each stream's command (and event) types to its declarations: a command
 * without a declaration, or a declaration without a command, is a type error.
 */
export type Within<A extends B, B> = A;
