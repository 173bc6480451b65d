import {
  electionDecider,
  electionResult,
  electionStream,
  feedbackDecider,
  feedbackStanding,
  feedbackStream,
  groupCommandStream,
  groupDecider,
  groupStream,
  partnerDecider,
  partnerStanding,
  partnerStream,
  type FeedbackStanding,
  type GroupCommand,
  type GroupContext,
  type GroupState,
} from '@app/domain';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, CommandResult } from '../commands/command-metadata.js';
import { DeciderRunner } from '../commands/decider-runner.js';

export class ExecuteGroupCommand extends Command<CommandResult> {
  constructor(
    readonly command: GroupCommand,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/** Every command on a group stream: load the facts it depends on, then decide. */
@CommandHandler(ExecuteGroupCommand)
export class GroupCommandHandler implements ICommandHandler<ExecuteGroupCommand, CommandResult> {
  constructor(private readonly runner: DeciderRunner) {}

  async execute({ command, metadata }: ExecuteGroupCommand): Promise<CommandResult> {
    const streamId = groupCommandStream(command);
    const result = await this.runner.run({
      streamId,
      decider: groupDecider,
      command,
      metadata,
      context: (_state, now) => this.context(command, now),
    });
    return {
      id: command.data.groupId,
      streamId,
      revision: result.revision,
      position: result.position,
      recordedAt: result.recordedAt,
    };
  }

  private async context(command: GroupCommand, now: string): Promise<GroupContext> {
    switch (command.type) {
      case 'EstablishGroup': {
        const { parentGroupId } = command.data;
        if (parentGroupId === null) return { now, parent: null };
        const parent: GroupState = await this.runner.load(groupStream(parentGroupId), groupDecider);
        return { now, parent: { status: parent.status, establishedAt: parent.establishedAt } };
      }
      case 'AllocateSeat': {
        const partner = await this.runner.load(
          partnerStream(command.data.partnerId),
          partnerDecider,
        );
        return { now, partner: partnerStanding(partner) };
      }
      case 'RecordCoChairElection': {
        const election = await this.runner.load(
          electionStream(command.data.electionId),
          electionDecider,
        );
        return { now, election: electionResult(election) };
      }
      case 'RecordDecision': {
        const feedback = await Promise.all(
          [...new Set(command.data.influencedBy)].map(async (feedbackId) =>
            feedbackStanding(await this.runner.load(feedbackStream(feedbackId), feedbackDecider)),
          ),
        );
        return { now, feedback: feedback.filter((f): f is FeedbackStanding => f !== null) };
      }
      default:
        return { now };
    }
  }
}
