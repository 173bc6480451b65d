import type { ElectionCommand } from '@app/domain';
import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { CommandMetadata, CommandResult } from '../commands/command-metadata.js';
import { ExecuteElectionCommand } from './election-command.handler.js';
import {
  CastBallotDto,
  CloseElectionDto,
  NominateCandidateDto,
  OpenCoChairElectionDto,
} from './election.dto.js';
import { ParseIdPipe } from '../http/ids.js';
import { CommandRoute } from '../http/command-route.js';
import { CommandMeta, newId } from '../http/request-context.js';
import { RECORDERS, Roles } from '../security/roles.js';

/** Election stream routes: /v1/groups/:id/elections, /v1/elections/:id/{candidates,ballots,close}. */
@ApiTags('elections')
@Roles(...RECORDERS)
@Controller('v1')
export class ElectionsController {
  constructor(private readonly commands: CommandBus) {}

  private run(command: ElectionCommand, metadata: CommandMetadata): Promise<CommandResult> {
    return this.commands.execute(new ExecuteElectionCommand(command, metadata));
  }

  @CommandRoute(
    'groups/:id/elections',
    'OpenCoChairElection',
    'Open a co-chair election for a group',
    'OpenCoChairElectionDto',
  )
  open(
    @Param('id', ParseIdPipe) groupId: string,
    @Body() dto: OpenCoChairElectionDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'OpenCoChairElection',
        data: {
          electionId: dto.electionId ?? newId(metadata, 'election'),
          groupId,
          constituency: dto.constituency,
          electorate: [...dto.electorate],
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
    );
  }

  @CommandRoute(
    'elections/:id/candidates',
    'NominateCandidate',
    'Nominate a candidate from the electorate',
    'NominateCandidateDto',
  )
  nominate(
    @Param('id', ParseIdPipe) electionId: string,
    @Body() dto: NominateCandidateDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'NominateCandidate',
        data: { electionId, partnerId: dto.partnerId, occurredAt: dto.occurredAt },
      },
      metadata,
    );
  }

  /**
   * A secret ballot. The ballot id is random for every ballot (never from the
   * client, never derived from the voter or an Idempotency-Key), and the
   * answer names neither the ballot nor the choice.
   */
  @CommandRoute('elections/:id/ballots', 'CastBallot', 'Cast a secret ballot', 'CastBallotDto')
  castBallot(
    @Param('id', ParseIdPipe) electionId: string,
    @Body() dto: CastBallotDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'CastBallot',
        data: {
          electionId,
          ballotId: randomUUID(),
          voterId: dto.voterId,
          candidateId: dto.candidateId,
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
    );
  }

  @CommandRoute(
    'elections/:id/close',
    'CloseElection',
    'Close an election and count the votes',
    'CloseElectionDto',
  )
  close(
    @Param('id', ParseIdPipe) electionId: string,
    @Body() dto: CloseElectionDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      { type: 'CloseElection', data: { electionId, occurredAt: dto.occurredAt } },
      metadata,
    );
  }
}
