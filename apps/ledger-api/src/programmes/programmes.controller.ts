import type { ProgrammeCommand } from '@app/domain';
import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata, CommandResult } from '../commands/command-metadata.js';
import { ExecuteProgrammeCommand } from './programme-command.handler.js';
import {
  AdoptPrinciplesDto,
  DefineWithdrawalReasonsDto,
  HoldRecruitmentWorkshopDto,
  LaunchProgrammeDto,
  PublishRoleProfileDto,
  RequestNominationsDto,
  SetResponseTargetsDto,
} from './programme.dto.js';
import { ParseIdPipe } from '../http/ids.js';
import { CommandRoute } from '../http/command-route.js';
import { CommandMeta, newId } from '../http/request-context.js';
import { RECORDERS, Roles } from '../security/roles.js';

/** Programme stream routes: /v1/programmes, /v1/programmes/:id/{role-profiles,nomination-requests,workshops,principles,withdrawal-reasons,response-targets}. */
@ApiTags('programmes')
@Roles(...RECORDERS)
@Controller('v1/programmes')
export class ProgrammesController {
  constructor(private readonly commands: CommandBus) {}

  private run(command: ProgrammeCommand, metadata: CommandMetadata): Promise<CommandResult> {
    return this.commands.execute(new ExecuteProgrammeCommand(command, metadata));
  }

  @CommandRoute('', 'LaunchProgramme', 'Launch a programme', 'LaunchProgrammeDto')
  launch(@Body() dto: LaunchProgrammeDto, @CommandMeta() metadata: CommandMetadata) {
    return this.run(
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
    );
  }

  @CommandRoute(
    ':id/role-profiles',
    'PublishRoleProfile',
    'Publish the lay partner role profile',
    'PublishRoleProfileDto',
  )
  publishRoleProfile(
    @Param('id', ParseIdPipe) programmeId: string,
    @Body() dto: PublishRoleProfileDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'PublishRoleProfile',
        data: {
          programmeId,
          meetingsPerMonth: dto.meetingsPerMonth,
          hoursPerMonth: dto.hoursPerMonth,
          paid: dto.paid,
          expensesReimbursed: dto.expensesReimbursed,
          summary: dto.summary,
          ...(dto.roleLevel === undefined ? {} : { roleLevel: dto.roleLevel }),
          ...(dto.involvementPayment === undefined
            ? {}
            : {
                involvementPayment: {
                  amountPence: dto.involvementPayment.amountPence,
                  currency: dto.involvementPayment.currency,
                  per: dto.involvementPayment.per,
                },
              }),
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
    );
  }

  @CommandRoute(
    ':id/nomination-requests',
    'RequestNominations',
    'Ask organisations for nominations',
    'RequestNominationsDto',
  )
  requestNominations(
    @Param('id', ParseIdPipe) programmeId: string,
    @Body() dto: RequestNominationsDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
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
    );
  }

  @CommandRoute(
    ':id/workshops',
    'HoldRecruitmentWorkshop',
    'Record a recruitment workshop',
    'HoldRecruitmentWorkshopDto',
  )
  async holdWorkshop(
    @Param('id', ParseIdPipe) programmeId: string,
    @Body() dto: HoldRecruitmentWorkshopDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    const workshopId = dto.workshopId ?? newId(metadata, 'workshop');
    const result = await this.run(
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
    );
    return { ...result, workshopId };
  }

  @CommandRoute(
    ':id/principles',
    'AdoptPrinciples',
    'Adopt a version of the co-production principles',
    'AdoptPrinciplesDto',
  )
  adoptPrinciples(
    @Param('id', ParseIdPipe) programmeId: string,
    @Body() dto: AdoptPrinciplesDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
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
    );
  }

  @CommandRoute(
    ':id/withdrawal-reasons',
    'DefineWithdrawalReasons',
    'Define the programme’s withdrawal reasons',
    'DefineWithdrawalReasonsDto',
  )
  defineWithdrawalReasons(
    @Param('id', ParseIdPipe) programmeId: string,
    @Body() dto: DefineWithdrawalReasonsDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'DefineWithdrawalReasons',
        data: {
          programmeId,
          reasons: dto.reasons.map(({ key, label }) => ({ key, label })),
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
    );
  }

  @CommandRoute(
    ':id/response-targets',
    'SetResponseTargets',
    'Set the programme’s response clock: days to first response and to report back',
    'SetResponseTargetsDto',
  )
  setResponseTargets(
    @Param('id', ParseIdPipe) programmeId: string,
    @Body() dto: SetResponseTargetsDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'SetResponseTargets',
        data: {
          programmeId,
          firstResponseDays: dto.firstResponseDays ?? null,
          reportBackDays: dto.reportBackDays ?? null,
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
    );
  }
}
