import { everyCommandErrors, type CodesOfKind } from './core/command-declaration.js';
import type { DomainErrorKind } from './core/domain-error.js';
import type { StreamCategory } from './core/streams.js';
import { electionCommands } from './election/election.commands.js';
import { feedbackCommands } from './feedback/feedback.commands.js';
import { groupCommands } from './group/group.commands.js';
import { partnerCommands } from './partner/partner.commands.js';
import { programmeCommands } from './programme/programme.commands.js';

/** Each stream's command declarations, in the order the README lists them. */
export const streamCommands = {
  programme: programmeCommands,
  partner: partnerCommands,
  group: groupCommands,
  election: electionCommands,
  feedback: feedbackCommands,
} as const satisfies Record<StreamCategory, unknown>;

type Declarations = (typeof streamCommands)[StreamCategory];
type AllDeclarations = typeof programmeCommands &
  typeof partnerCommands &
  typeof groupCommands &
  typeof electionCommands &
  typeof feedbackCommands;

/** Every command the ledger accepts, by its `type`. */
export type CommandType = keyof AllDeclarations;

type DeclaredErrors = AllDeclarations[CommandType]['errors'] | typeof everyCommandErrors;

/** Every code some command declares (the union over all commands and kinds). */
export type DeclaredCode = DeclaredErrors extends infer E
  ? E extends unknown
    ? keyof E
    : never
  : never;
/** Declared codes by kind: what `rule()`, `notFound()` and `conflict()` accept. */
export type RuleCode = CodesOfKind<DeclaredErrors, 'rule'>;
export type NotFoundCode = CodesOfKind<DeclaredErrors, 'not_found'>;
export type ConflictCode = CodesOfKind<DeclaredErrors, 'conflict'>;

/** The codes one command can fail with, common ones included. */
export type CommandCode<T extends CommandType> =
  keyof AllDeclarations[T]['errors'] | keyof typeof everyCommandErrors;

export interface DeclaredError {
  code: DeclaredCode;
  kind: DomainErrorKind;
}

/** A command's declaration as the HTTP layer and the docs read it. */
export interface CommandInfo {
  command: CommandType;
  stream: StreamCategory;
  events: readonly string[];
  note: string | null;
  /** Every code, common ones (`occurred_in_future`) first, then as declared. */
  codes: readonly DeclaredError[];
}

function describe(): Readonly<Record<CommandType, CommandInfo>> {
  const all: Partial<Record<string, CommandInfo>> = {};
  for (const [stream, commands] of Object.entries(streamCommands) as Array<
    [StreamCategory, Declarations]
  >) {
    for (const [command, declaration] of Object.entries(commands)) {
      if (all[command]) throw new Error(`Command ${command} is declared twice`);
      const errors: Record<string, DomainErrorKind> = {
        ...everyCommandErrors,
        ...declaration.errors,
      };
      all[command] = Object.freeze({
        command: command as CommandType,
        stream,
        events: declaration.events,
        note: 'note' in declaration ? declaration.note : null,
        codes: Object.freeze(
          Object.entries(errors).map(([code, kind]) => ({ code: code as DeclaredCode, kind })),
        ),
      });
    }
  }
  return Object.freeze(all as Record<CommandType, CommandInfo>);
}

/** Every command's declaration, by command type. */
export const commandDeclarations = describe();

export const isCommandType = (type: string): type is CommandType =>
  Object.hasOwn(commandDeclarations, type);

/** One command's events and error codes, e.g. `commandDeclaration('AllocateSeat')`. */
export function commandDeclaration(type: CommandType): CommandInfo {
  return commandDeclarations[type];
}

/** The HTTP status each kind of refusal answers with. */
export const errorKindStatus = {
  rule: 422,
  not_found: 404,
  conflict: 409,
} as const satisfies Record<DomainErrorKind, number>;

/** Every event type a command appends, sorted: what timeline filters accept. */
export const LEDGER_EVENT_TYPES: readonly string[] = [
  ...new Set(Object.values(commandDeclarations).flatMap((declaration) => declaration.events)),
].sort();
