import { partnerCommandStream, partnerDecider, type PartnerCommand } from '@app/domain';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, CommandResult } from '../command-metadata.js';
import { DeciderRunner } from '../decider-runner.js';

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
  constructor(private readonly runner: DeciderRunner) {}

  async execute({ command, metadata }: ExecutePartnerCommand): Promise<CommandResult> {
    const streamId = partnerCommandStream(command);
    const result = await this.runner.run({ streamId, decider: partnerDecider, command, metadata });
    return {
      id: command.data.partnerId,
      streamId,
      revision: result.revision,
      position: result.position,
    };
  }
}
