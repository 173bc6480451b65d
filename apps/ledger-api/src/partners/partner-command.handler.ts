import {
  groupDecider,
  groupStream,
  partnerCommandStream,
  partnerInvolvement,
  partnerDecider,
  programmeDecider,
  programmeStanding,
  programmeStream,
  type PartnerCommand,
  type PartnerContext,
  type PartnerInvolvement,
  type ProgrammeStanding,
} from '@app/domain';
import { PersonKeys } from '@app/event-store';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, CommandResult } from '../commands/command-metadata.js';
import { DeciderRunner } from '../commands/decider-runner.js';
import { ReadModels } from '../infrastructure/read-models.service.js';

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
    private readonly keys: PersonKeys,
    private readonly readModels: ReadModels,
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
        if (command.type === 'NominatePartner' || command.type === 'RegisterProfessional') {
          // The partner joins the programme named or, unnamed, the ledger's only one.
          const named = command.data.programmeId ?? null;
          const ids = named !== null ? [named] : await this.readModels.programmeIds();
          return { now, programmes: await this.standings(ids) };
        }
        if (command.type !== 'Withdraw') return { now };
        const groupInvolvement = await this.groupInvolvement(command.data.partnerId);
        if (state.programmeId === null) return { now, groupInvolvement };
        const [programme] = await this.standings([state.programmeId]);
        return { now, programme: programme ?? null, groupInvolvement };
      },
    });
    // Crypto-shredding: with the key gone, the person's fields in the log are unreadable.
    // (ErasureSaga repeats this from the log, so a crash right here loses nothing.)
    if (command.type === 'ErasePersonalData') await this.keys.destroy(command.data.partnerId);
    return {
      id: command.data.partnerId,
      streamId,
      revision: result.revision,
      position: result.position,
      recordedAt: result.recordedAt,
    };
  }

  /**
   * What every group the partner has sat on records of them, read from the
   * group streams themselves. The read model only says which groups to read,
   * once it has caught up with the log, so a seat just allocated is not missed.
   */
  private async groupInvolvement(partnerId: string): Promise<PartnerInvolvement[]> {
    await this.readModels.caughtUp();
    const groups = new Set(
      this.readModels.governance.tenuresOfPartner(partnerId, Date.now()).map((t) => t.groupId),
    );
    const involvement = await Promise.all(
      [...groups].map(async (groupId) =>
        partnerInvolvement(await this.runner.load(groupStream(groupId), groupDecider), partnerId),
      ),
    );
    return involvement.filter((fact): fact is PartnerInvolvement => fact !== null);
  }

  private async standings(ids: readonly string[]): Promise<ProgrammeStanding[]> {
    const states = await Promise.all(
      ids.map((id) => this.runner.load(programmeStream(id), programmeDecider)),
    );
    return states.map(programmeStanding).filter((p): p is ProgrammeStanding => p !== null);
  }
}
