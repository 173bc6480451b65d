import {
  groupDecider,
  groupStanding,
  groupStream,
  programmeCommandStream,
  programmeDecider,
  type ProgrammeCommand,
  type ProgrammeContext,
} from '@app/domain';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, CommandResult } from '../commands/command-metadata.js';
import { DeciderRunner } from '../commands/decider-runner.js';

export class ExecuteProgrammeCommand extends Command<CommandResult> {
  constructor(
    readonly command: ProgrammeCommand,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ExecuteProgrammeCommand)
export class ProgrammeCommandHandler implements ICommandHandler<
  ExecuteProgrammeCommand,
  CommandResult
> {
  constructor(private readonly runner: DeciderRunner) {}

  async execute({ command, metadata }: ExecuteProgrammeCommand): Promise<CommandResult> {
    const streamId = programmeCommandStream(command);
    const result = await this.runner.run({
      streamId,
      decider: programmeDecider,
      command,
      metadata,
      context: async (_state, now): Promise<ProgrammeContext> => {
        if (command.type !== 'AdoptPrinciples') return { now };
        const group = await this.runner.load(groupStream(command.data.adoptedBy), groupDecider);
        return { now, adoptingGroup: groupStanding(group) };
      },
    });
    return {
      id: command.data.programmeId,
      streamId,
      revision: result.revision,
      position: result.position,
      recordedAt: result.recordedAt,
    };
  }
}
