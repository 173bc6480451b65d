import {
  decisionStanding,
  feedbackCommandStream,
  feedbackDecider,
  groupDecider,
  groupStanding,
  groupStream,
  partnerDecider,
  partnerStanding,
  partnerStream,
  type FeedbackCommand,
  type FeedbackContext,
  type FeedbackState,
} from '@app/domain';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, CommandResult } from '../commands/command-metadata.js';
import { DeciderRunner } from '../commands/decider-runner.js';

export class ExecuteFeedbackCommand extends Command<CommandResult> {
  constructor(
    readonly command: FeedbackCommand,
    readonly metadata: CommandMetadata,
    /** Group whose decision a response cites; defaults to the group the feedback was heard in. */
    readonly decisionGroupId: string | null = null,
  ) {
    super();
  }
}

@CommandHandler(ExecuteFeedbackCommand)
export class FeedbackCommandHandler implements ICommandHandler<
  ExecuteFeedbackCommand,
  CommandResult
> {
  constructor(private readonly runner: DeciderRunner) {}

  async execute({
    command,
    metadata,
    decisionGroupId,
  }: ExecuteFeedbackCommand): Promise<CommandResult> {
    const streamId = feedbackCommandStream(command);
    const result = await this.runner.run({
      streamId,
      decider: feedbackDecider,
      command,
      metadata,
      context: (state, now) => this.context(command, state, now, decisionGroupId),
    });
    return {
      id: command.data.feedbackId,
      streamId,
      revision: result.revision,
      position: result.position,
      recordedAt: result.recordedAt,
    };
  }

  private async context(
    command: FeedbackCommand,
    state: FeedbackState,
    now: string,
    decisionGroupId: string | null,
  ): Promise<FeedbackContext> {
    switch (command.type) {
      case 'HearFeedback': {
        const { groupId, raisedBy } = command.data;
        const [group, partner] = await Promise.all([
          groupId === null ? null : this.runner.load(groupStream(groupId), groupDecider),
          raisedBy === null ? null : this.runner.load(partnerStream(raisedBy), partnerDecider),
        ]);
        return {
          now,
          group: group && groupStanding(group),
          raisedBy: partner && partnerStanding(partner),
        };
      }
      case 'RespondToFeedback': {
        const { decisionId } = command.data;
        const groupId = decisionGroupId ?? state.groupId;
        if (decisionId === null || groupId === null) return { now, decision: null };
        const group = await this.runner.load(groupStream(groupId), groupDecider);
        return { now, decision: decisionStanding(group, decisionId) };
      }
      default:
        return { now };
    }
  }
}
