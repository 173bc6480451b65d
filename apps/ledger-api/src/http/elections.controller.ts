import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '../commands/command-metadata.js';
import { ExecuteElectionCommand } from '../commands/election/election-command.handler.js';
import { created } from './command-response.js';
import {
  CastBallotDto,
  CloseElectionDto,
  NominateCandidateDto,
  OpenCoChairElectionDto,
} from './dto/election.dto.js';
import { ParseIdPipe } from './ids.js';
import { CommandRoute } from './openapi/api-docs.decorators.js';
import { CommandMeta, newId } from './request-context.js';
import { RECORDERS, Roles } from '../security/roles.js';

/** Election stream routes: /v1/groups/:id/elections, /v1/elections/:id/{candidates,ballots,close}. */
@ApiTags('elections')
@Roles(...RECORDERS)
@Controller('v1')
export class ElectionsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('groups/:id/elections')
  @HttpCode(201)
  @CommandRoute('Open a co-chair election for a group', 'OpenCoChairElectionDto', [
    'election_exists',
    'group_not_found',
    'group_dissolved',
    'opened_before_group_established',
    'constituency_has_no_co_chair',
    'empty_electorate',
    'duplicate_elector',
    'occurred_in_future',
  ])
  async open(
    @Param('id', ParseIdPipe) groupId: string,
    @Body() dto: OpenCoChairElectionDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteElectionCommand(
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
      ),
    );
    return created(reply, result);
  }

  @Post('elections/:id/candidates')
  @HttpCode(201)
  @CommandRoute('Nominate a candidate from the electorate', 'NominateCandidateDto', [
    'election_not_found',
    'election_not_open',
    'group_dissolved',
    'nominations_closed',
    'candidate_not_in_electorate',
    'candidate_already_nominated',
    'nominated_before_opened',
    'occurred_in_future',
  ])
  async nominate(
    @Param('id', ParseIdPipe) electionId: string,
    @Body() dto: NominateCandidateDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteElectionCommand(
        {
          type: 'NominateCandidate',
          data: { electionId, partnerId: dto.partnerId, occurredAt: dto.occurredAt },
        },
        metadata,
      ),
    );
    return created(reply, result);
  }

  /**
   * A secret ballot. The ballot id is random for every ballot (never from the
   * client, never derived from the voter or an Idempotency-Key), and the
   * answer names neither the ballot nor the choice.
   */
  @Post('elections/:id/ballots')
  @HttpCode(201)
  @CommandRoute('Cast a secret ballot', 'CastBallotDto', [
    'election_not_found',
    'election_not_open',
    'group_dissolved',
    'not_an_elector',
    'already_voted',
    'ballot_exists',
    'not_a_candidate',
    'voted_before_candidate_nominated',
    'voted_before_last_nomination',
    'occurred_in_future',
  ])
  async castBallot(
    @Param('id', ParseIdPipe) electionId: string,
    @Body() dto: CastBallotDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteElectionCommand(
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
      ),
    );
    return created(reply, result);
  }

  @Post('elections/:id/close')
  @HttpCode(201)
  @CommandRoute('Close an election and count the votes', 'CloseElectionDto', [
    'election_not_found',
    'election_not_open',
    'group_dissolved',
    'closed_before_last_activity',
    'occurred_in_future',
  ])
  async close(
    @Param('id', ParseIdPipe) electionId: string,
    @Body() dto: CloseElectionDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteElectionCommand(
        { type: 'CloseElection', data: { electionId, occurredAt: dto.occurredAt } },
        metadata,
      ),
    );
    return created(reply, result);
  }
}
