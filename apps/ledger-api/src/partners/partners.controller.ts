import type { PartnerCommand } from '@app/domain';
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../commands/command-metadata.js';
import { ExecutePartnerCommand } from './partner-command.handler.js';
import { RECORDERS, Roles } from '../security/roles.js';
import { created } from '../http/command-response.js';
import {
  ExpenseClaimDto,
  ExpenseRejectionDto,
  OccurredDto,
  RegisterProfessionalDto,
  TrainingDto,
  WithdrawalDto,
  WorkshopAttendanceDto,
} from './partner-activity.dto.js';
import { AppointPartnerDto, NominatePartnerDto } from './partner.dto.js';
import { ParseIdPipe } from '../http/ids.js';
import { CommandRoute } from '../http/openapi/api-docs.decorators.js';
import { CommandMeta, newId } from '../http/request-context.js';

/** The partner stream's write side: nomination, registration, recruitment, appointment, training, expenses, withdrawal, erasure. */
@ApiTags('partners')
@Roles(...RECORDERS)
@Controller('v1/partners')
export class PartnersController {
  constructor(private readonly commands: CommandBus) {}

  private async run(command: PartnerCommand, metadata: CommandMetadata, reply: FastifyReply) {
    return created(
      reply,
      await this.commands.execute(new ExecutePartnerCommand(command, metadata)),
    );
  }

  @Post('nominations')
  @HttpCode(201)
  @CommandRoute('Record a lay partner nomination', 'NominatePartnerDto', ['partner_exists'])
  async nominate(
    @Body() dto: NominatePartnerDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecutePartnerCommand(
        {
          type: 'NominatePartner',
          data: {
            partnerId: dto.partnerId ?? newId(metadata, 'partner'),
            name: dto.name,
            ...(dto.email === undefined ? {} : { email: dto.email }),
            ...(dto.phone === undefined ? {} : { phone: dto.phone }),
            nominatedBy: {
              organisation: dto.nominatedBy.organisation,
              organisationKind: dto.nominatedBy.organisationKind,
            },
            ...(dto.campaign === undefined ? {} : { campaign: dto.campaign }),
            occurredAt: dto.occurredAt,
          },
        },
        metadata,
      ),
    );
    return created(reply, result);
  }

  @Post(':id/appointment')
  @HttpCode(201)
  @CommandRoute('Appoint a partner to the Advisory Group or the Forum', 'AppointPartnerDto', [
    'partner_not_found',
    'already_appointed',
    'partner_withdrawn',
  ])
  async appoint(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: AppointPartnerDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecutePartnerCommand(
        { type: 'AppointPartner', data: { partnerId, body: dto.body, occurredAt: dto.occurredAt } },
        metadata,
      ),
    );
    return created(reply, result);
  }

  @Post()
  @HttpCode(201)
  @CommandRoute(
    'Register a professional (CCG, local authority, provider, voluntary sector)',
    'RegisterProfessionalDto',
    ['partner_exists'],
  )
  register(
    @Body() dto: RegisterProfessionalDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { partnerId, email, phone, role, ...rest } = dto;
    return this.run(
      {
        type: 'RegisterProfessional',
        data: {
          ...rest,
          partnerId: partnerId ?? newId(metadata, 'partner'),
          ...(email === undefined ? {} : { email }),
          ...(phone === undefined ? {} : { phone }),
          ...(role === undefined ? {} : { role }),
        },
      },
      metadata,
      reply,
    );
  }

  @Post(':id/workshop-attendance')
  @HttpCode(201)
  @CommandRoute('Record that a nominee attended a recruitment workshop', 'WorkshopAttendanceDto', [
    'partner_not_found',
    'workshop_already_attended',
    'lay_partner_only',
  ])
  attend(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: WorkshopAttendanceDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      {
        type: 'RecordWorkshopAttendance',
        data: { partnerId, workshopId: dto.workshopId, occurredAt: dto.occurredAt },
      },
      metadata,
      reply,
    );
  }

  @Post(':id/interest')
  @HttpCode(201)
  @CommandRoute('Record that a nominee expressed interest in going forward', 'OccurredDto', [
    'partner_not_found',
    'interest_already_expressed',
  ])
  interest(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: OccurredDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      { type: 'ExpressInterest', data: { partnerId, occurredAt: dto.occurredAt } },
      metadata,
      reply,
    );
  }

  @Post(':id/training')
  @HttpCode(201)
  @CommandRoute('Record completed training', 'TrainingDto', [
    'partner_not_found',
    'partner_withdrawn',
    'trained_before_joined',
  ])
  training(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: TrainingDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      {
        type: 'CompleteTraining',
        data: { partnerId, course: dto.course, occurredAt: dto.occurredAt },
      },
      metadata,
      reply,
    );
  }

  @Post(':id/withdrawal')
  @HttpCode(201)
  @CommandRoute('Record a withdrawal (vacates every seat and co-chair role)', 'WithdrawalDto', [
    'partner_not_found',
    'partner_withdrawn',
    'withdrew_before_last_activity',
  ])
  withdraw(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: WithdrawalDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      {
        type: 'Withdraw',
        data: {
          partnerId,
          reason: dto.reason,
          ...(dto.note === undefined ? {} : { note: dto.note }),
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
      reply,
    );
  }

  @Post(':id/expenses')
  @HttpCode(201)
  @CommandRoute('Claim out-of-pocket expenses', 'ExpenseClaimDto', [
    'partner_not_found',
    'claim_exists',
    'invalid_amount',
    'claimed_before_incurred',
    'lay_partner_only',
  ])
  async claim(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: ExpenseClaimDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const claimId = dto.claimId ?? newId(metadata, 'claim');
    const result = await this.run(
      {
        type: 'ClaimExpense',
        data: {
          partnerId,
          claimId,
          amountPence: dto.amountPence,
          category: dto.category,
          incurredOn: dto.incurredOn,
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
      reply,
    );
    return { ...result, claimId };
  }

  @Post(':id/expenses/:claimId/reimbursement')
  @HttpCode(201)
  @CommandRoute('Reimburse an expense claim', 'OccurredDto', [
    'partner_not_found',
    'claim_not_found',
    'claim_already_settled',
    'settled_before_claimed',
  ])
  reimburse(
    @Param('id', ParseIdPipe) partnerId: string,
    @Param('claimId', ParseIdPipe) claimId: string,
    @Body() dto: OccurredDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      { type: 'ReimburseExpense', data: { partnerId, claimId, occurredAt: dto.occurredAt } },
      metadata,
      reply,
    );
  }

  @Post(':id/expenses/:claimId/rejection')
  @HttpCode(201)
  @CommandRoute('Reject an expense claim, with a reason', 'ExpenseRejectionDto', [
    'partner_not_found',
    'claim_not_found',
    'claim_already_settled',
    'rejection_reason_required',
  ])
  reject(
    @Param('id', ParseIdPipe) partnerId: string,
    @Param('claimId', ParseIdPipe) claimId: string,
    @Body() dto: ExpenseRejectionDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      {
        type: 'RejectExpense',
        data: { partnerId, claimId, reason: dto.reason, occurredAt: dto.occurredAt },
      },
      metadata,
      reply,
    );
  }

  @Post(':id/erasure')
  @HttpCode(201)
  @CommandRoute('Erase a withdrawn partner’s personal data (destroys their key)', 'OccurredDto', [
    'partner_not_found',
    'partner_not_withdrawn',
    'personal_data_already_erased',
  ])
  erase(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: OccurredDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      { type: 'ErasePersonalData', data: { partnerId, occurredAt: dto.occurredAt } },
      metadata,
      reply,
    );
  }
}
