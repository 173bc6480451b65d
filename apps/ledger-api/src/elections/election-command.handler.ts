import {
  electionCommandStream,
  electionDecider,
  groupDecider,
  groupStanding,
  groupStream,
  type ElectionCommand,
  type ElectionContext,
} from '@app/domain';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, CommandResult } from '../commands/command-metadata.js';
import { DeciderRunner } from '../commands/decider-runner.js';

export class ExecuteElectionCommand extends Command<CommandResult> {
  constructor(
    readonly command: ElectionCommand,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ExecuteElectionCommand)
export class ElectionCommandHandler implements ICommandHandler<
  ExecuteElectionCommand,
  CommandResult
> {
  constructor(private readonly runner: DeciderRunner) {}

  async execute({ command, metadata }: ExecuteElectionCommand): Promise<CommandResult> {
    const streamId = electionCommandStream(command);
    const result = await this.runner.run({
      streamId,
      decider: electionDecider,
      command,
      metadata,
      // Every step needs the group: none is dated on or after its dissolution.
      context: async (state, now): Promise<ElectionContext> => {
        const groupId =
          command.type === 'OpenCoChairElection' ? command.data.groupId : state.groupId;
        if (groupId === null) return { now };
        const group = await this.runner.load(groupStream(groupId), groupDecider);
        return { now, group: groupStanding(group) };
      },
    });
    return {
      id: command.data.electionId,
      streamId,
      revision: result.revision,
      position: result.position,
      recordedAt: result.recordedAt,
    };
  }
}
