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
  programmeDecider,
  programmeStanding,
  programmeStream,
  type FeedbackStanding,
  type ProgrammeStanding,
  type RoleProfileStanding,
  type GroupCommand,
  type GroupContext,
  type GroupState,
} from '@app/domain';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, CommandResult } from '../commands/command-metadata.js';
import { DeciderRunner } from '../commands/decider-runner.js';
import { ReadModels } from '../infrastructure/read-models.service.js';

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
  constructor(
    private readonly runner: DeciderRunner,
    private readonly readModels: ReadModels,
  ) {}

  async execute({ command, metadata }: ExecuteGroupCommand): Promise<CommandResult> {
    const streamId = groupCommandStream(command);
    const result = await this.runner.run({
      streamId,
      decider: groupDecider,
      command,
      metadata,
      context: (state, now) => this.context(command, state, now),
    });
    return {
      id: command.data.groupId,
      streamId,
      revision: result.revision,
      position: result.position,
      recordedAt: result.recordedAt,
    };
  }

  private async context(
    command: GroupCommand,
    group: GroupState,
    now: string,
  ): Promise<GroupContext> {
    switch (command.type) {
      case 'EstablishGroup': {
        const { parentGroupId } = command.data;
        const named = command.data.programmeId ?? null;
        if (parentGroupId !== null) {
          // A sub-group joins its parent's programme; one named must be that one.
          const parent: GroupState = await this.runner.load(
            groupStream(parentGroupId),
            groupDecider,
          );
          const programmes = await this.standings(named !== null ? [named] : []);
          return {
            now,
            programmes,
            parent: {
              status: parent.status,
              establishedAt: parent.establishedAt,
              programmeId: parent.programmeId,
            },
          };
        }
        const ids = named !== null ? [named] : await this.readModels.programmeIds();
        return { now, parent: null, programmes: await this.standings(ids) };
      }
      case 'AllocateSeat': {
        const [partner, roleProfiles] = await Promise.all([
          this.runner.load(partnerStream(command.data.partnerId), partnerDecider),
          this.roleProfiles(group),
        ]);
        return { now, partner: partnerStanding(partner), roleProfiles };
      }
      case 'AppointCoChair':
        return { now, roleProfiles: await this.roleProfiles(group) };
      case 'RecordCoChairElection': {
        const [election, roleProfiles] = await Promise.all([
          this.runner.load(electionStream(command.data.electionId), electionDecider),
          this.roleProfiles(group),
        ]);
        return { now, election: electionResult(election), roleProfiles };
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

  /**
   * The role profiles of the group's programme (a group with none on record
   * belongs to the ledger's first, ADR 0003): the role level a seat or
   * co-chair term carries is one of them. The group is the state the
   * command is decided on (its programme is fixed when it is established).
   */
  private async roleProfiles(group: GroupState): Promise<RoleProfileStanding[]> {
    const programmeId = group.programmeId ?? (await this.readModels.programmeIds())[0];
    if (programmeId === undefined) return [];
    const [programme] = await this.standings([programmeId]);
    return programme?.roleProfiles ?? [];
  }

  private async standings(ids: readonly string[]): Promise<ProgrammeStanding[]> {
    const states = await Promise.all(
      ids.map((id) => this.runner.load(programmeStream(id), programmeDecider)),
    );
    return states.map(programmeStanding).filter((p): p is ProgrammeStanding => p !== null);
  }
}
