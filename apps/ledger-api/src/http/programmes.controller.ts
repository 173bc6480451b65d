import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../commands/command-metadata.js';
import { ExecuteProgrammeCommand } from '../commands/programme/programme-command.handler.js';
import { created } from './command-response.js';
import {
  AdoptPrinciplesDto,
  DefineWithdrawalReasonsDto,
  HoldRecruitmentWorkshopDto,
  LaunchProgrammeDto,
  PublishRoleProfileDto,
  RequestNominationsDto,
} from './dto/programme.dto.js';
import { ParseIdPipe } from './ids.js';
import { CommandRoute } from './openapi/api-docs.decorators.js';
import { CommandMeta, newId } from './request-context.js';
import { RECORDERS, Roles } from '../security/roles.js';

/** Programme stream routes: /v1/programmes, /v1/programmes/:id/{role-profiles,nomination-requests,workshops,principles,withdrawal-reasons}. */
@ApiTags('programmes')
@Roles(...RECORDERS)
@Controller('v1/programmes')
export class ProgrammesController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @CommandRoute('Launch a programme', 'LaunchProgrammeDto', [
    'programme_exists',
    'duplicate_borough',
    'occurred_in_future',
  ])
  async launch(
    @Body() dto: LaunchProgrammeDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteProgrammeCommand(
        {
          type: 'LaunchProgramme',
          data: {
            programmeId: dto.programmeId ?? newId(metadata, 'programme'),
            name: dto.name,
            boroughs: [...dto.boroughs],
            occurredAt: dto.occurredAt,
          },
        },
        metadata,
      ),
    );
    return created(reply, result);
  }

  @Post(':id/role-profiles')
  @HttpCode(201)
  @CommandRoute('Publish the lay partner role profile', 'PublishRoleProfileDto', [
    'programme_not_found',
    'invalid_role_profile',
    'published_before_launch',
    'occurred_in_future',
  ])
  async publishRoleProfile(
    @Param('id', ParseIdPipe) programmeId: string,
    @Body() dto: PublishRoleProfileDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteProgrammeCommand(
        {
          type: 'PublishRoleProfile',
          data: {
            programmeId,
            meetingsPerMonth: dto.meetingsPerMonth,
            hoursPerMonth: dto.hoursPerMonth,
            paid: dto.paid,
            expensesReimbursed: dto.expensesReimbursed,
            summary: dto.summary,
            occurredAt: dto.occurredAt,
          },
        },
        metadata,
      ),
    );
    return created(reply, result);
  }

  @Post(':id/nomination-requests')
  @HttpCode(201)
  @CommandRoute('Ask organisations for nominations', 'RequestNominationsDto', [
    'programme_not_found',
    'no_organisations',
    'duplicate_organisation',
    'requested_before_launch',
    'occurred_in_future',
  ])
  async requestNominations(
    @Param('id', ParseIdPipe) programmeId: string,
    @Body() dto: RequestNominationsDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteProgrammeCommand(
        {
          type: 'RequestNominations',
          data: {
            programmeId,
            campaign: dto.campaign,
            organisations: dto.organisations.map(({ name, kind }) => ({ name, kind })),
            occurredAt: dto.occurredAt,
          },
        },
        metadata,
      ),
    );
    return created(reply, result);
  }

  @Post(':id/workshops')
  @HttpCode(201)
  @CommandRoute('Record a recruitment workshop', 'HoldRecruitmentWorkshopDto', [
    'programme_not_found',
    'workshop_exists',
    'invalid_attendees',
    'campaign_not_found',
    'workshop_before_nominations_requested',
    'occurred_in_future',
  ])
  async holdWorkshop(
    @Param('id', ParseIdPipe) programmeId: string,
    @Body() dto: HoldRecruitmentWorkshopDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const workshopId = dto.workshopId ?? newId(metadata, 'workshop');
    const result = await this.commands.execute(
      new ExecuteProgrammeCommand(
        {
          type: 'HoldRecruitmentWorkshop',
          data: {
            programmeId,
            workshopId,
            attendees: dto.attendees,
            campaign: dto.campaign,
            occurredAt: dto.occurredAt,
          },
        },
        metadata,
      ),
    );
    return { ...created(reply, result), workshopId };
  }

  @Post(':id/principles')
  @HttpCode(201)
  @CommandRoute('Adopt a version of the co-production principles', 'AdoptPrinciplesDto', [
    'programme_not_found',
    'principles_version_out_of_sequence',
    'principles_statements_required',
    'adopted_before_launch',
    'adopted_before_previous_version',
    'group_not_found',
    'group_dissolved',
    'adopted_before_group_established',
    'occurred_in_future',
  ])
  async adoptPrinciples(
    @Param('id', ParseIdPipe) programmeId: string,
    @Body() dto: AdoptPrinciplesDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteProgrammeCommand(
        {
          type: 'AdoptPrinciples',
          data: {
            programmeId,
            version: dto.version,
            statements: [...dto.statements],
            adoptedBy: dto.adoptedBy,
            occurredAt: dto.occurredAt,
          },
        },
        metadata,
      ),
    );
    return created(reply, result);
  }

  @Post(':id/withdrawal-reasons')
  @HttpCode(201)
  @CommandRoute('Define the programme’s withdrawal reasons', 'DefineWithdrawalReasonsDto', [
    'programme_not_found',
    'withdrawal_reasons_required',
    'invalid_withdrawal_reason_key',
    'duplicate_withdrawal_reason',
    'withdrawal_reason_label_required',
    'defined_before_launch',
    'defined_before_previous_reasons',
    'occurred_in_future',
  ])
  async defineWithdrawalReasons(
    @Param('id', ParseIdPipe) programmeId: string,
    @Body() dto: DefineWithdrawalReasonsDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteProgrammeCommand(
        {
          type: 'DefineWithdrawalReasons',
          data: {
            programmeId,
            reasons: dto.reasons.map(({ key, label }) => ({ key, label })),
            occurredAt: dto.occurredAt,
          },
        },
        metadata,
      ),
    );
    return created(reply, result);
  }
}
