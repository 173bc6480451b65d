import {
  partnerCommandStream,
  partnerDecider,
  programmeDecider,
  programmeStanding,
  programmeStream,
  type PartnerCommand,
  type PartnerContext,
} from '@app/domain';
import { PersonKeyStore } from '@app/event-store';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, CommandResult } from '../commands/command-metadata.js';
import { DeciderRunner } from '../commands/decider-runner.js';

export class ExecutePartnerCommand extends Command<CommandResult> {
  constructor(
    readonly command: PartnerCommand,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ExecutePartnerCommand)
export class PartnerCommandHandler implements ICommandHandler<
  ExecutePartnerCommand,
  CommandResult
> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly keys: PersonKeyStore,
  ) {}

  async execute({ command, metadata }: ExecutePartnerCommand): Promise<CommandResult> {
    const streamId = partnerCommandStream(command);
    const result = await this.runner.run({
      streamId,
      decider: partnerDecider,
      command,
      metadata,
      // The programme a partner joins (named on the command, or on the partner when
      // withdrawing) supplies its withdrawal reasons.
      context: async (state, now): Promise<PartnerContext> => {
        const programmeId =
          command.type === 'NominatePartner' || command.type === 'RegisterProfessional'
            ? command.data.programmeId
            : command.type === 'Withdraw'
              ? (state.programmeId ?? undefined)
              : undefined;
        if (programmeId === undefined) return { now };
        const programme = await this.runner.load(programmeStream(programmeId), programmeDecider);
        return { now, programme: programmeStanding(programme) };
      },
    });
    // Crypto-shredding: with the key gone, the person's fields in the log are unreadable.
    // (ErasureSaga repeats this from the log, so a crash right here loses nothing.)
    if (command.type === 'ErasePersonalData') this.keys.destroy(command.data.partnerId);
    return {
      id: command.data.partnerId,
      streamId,
      revision: result.revision,
      position: result.position,
      recordedAt: result.recordedAt,
    };
  }
}
