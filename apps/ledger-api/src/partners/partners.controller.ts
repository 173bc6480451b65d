import type { PartnerCommand } from '@app/domain';
import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata, CommandResult } from '../commands/command-metadata.js';
import { ExecutePartnerCommand } from './partner-command.handler.js';
import { RECORDERS, Roles } from '../security/roles.js';
import {
  ExpenseClaimDto,
  ExpenseRejectionDto,
  InvolvementPaymentDto,
  OccurredDto,
  RegisterProfessionalDto,
  TrainingDto,
  WithdrawalDto,
  WorkshopAttendanceDto,
} from './partner-activity.dto.js';
import { AppointPartnerDto, NominatePartnerDto } from './partner.dto.js';
import { ParseIdPipe } from '../http/ids.js';
import { CommandRoute } from '../http/command-route.js';
import { CommandMeta, newId } from '../http/request-context.js';

/** The partner stream's write side: nomination, registration, recruitment, appointment, training, expenses, involvement payments, withdrawal, erasure. */
@ApiTags('partners')
@Roles(...RECORDERS)
@Controller('v1/partners')
export class PartnersController {
  constructor(private readonly commands: CommandBus) {}

  private run(command: PartnerCommand, metadata: CommandMetadata): Promise<CommandResult> {
    return this.commands.execute(new ExecutePartnerCommand(command, metadata));
  }

  @CommandRoute(
    'nominations',
    'NominatePartner',
    'Record a lay partner nomination',
    'NominatePartnerDto',
  )
  nominate(@Body() dto: NominatePartnerDto, @CommandMeta() metadata: CommandMetadata) {
    return this.run(
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
          ...(dto.programmeId === undefined ? {} : { programmeId: dto.programmeId }),
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
    );
  }

  @CommandRoute(
    ':id/appointment',
    'AppointPartner',
    'Appoint a partner to the Advisory Group or the Forum',
    'AppointPartnerDto',
  )
  appoint(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: AppointPartnerDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      { type: 'AppointPartner', data: { partnerId, body: dto.body, occurredAt: dto.occurredAt } },
      metadata,
    );
  }

  @CommandRoute(
    '',
    'RegisterProfessional',
    'Register a professional (CCG, local authority, provider, voluntary sector)',
    'RegisterProfessionalDto',
  )
  register(@Body() dto: RegisterProfessionalDto, @CommandMeta() metadata: CommandMetadata) {
    const { partnerId, email, phone, role, programmeId, ...rest } = dto;
    return this.run(
      {
        type: 'RegisterProfessional',
        data: {
          ...rest,
          partnerId: partnerId ?? newId(metadata, 'partner'),
          ...(email === undefined ? {} : { email }),
          ...(phone === undefined ? {} : { phone }),
          ...(role === undefined ? {} : { role }),
          ...(programmeId === undefined ? {} : { programmeId }),
        },
      },
      metadata,
    );
  }

  @CommandRoute(
    ':id/workshop-attendance',
    'RecordWorkshopAttendance',
    'Record that a nominee attended a recruitment workshop',
    'WorkshopAttendanceDto',
  )
  attend(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: WorkshopAttendanceDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'RecordWorkshopAttendance',
        data: { partnerId, workshopId: dto.workshopId, occurredAt: dto.occurredAt },
      },
      metadata,
    );
  }

  @CommandRoute(
    ':id/interest',
    'ExpressInterest',
    'Record that a nominee expressed interest in going forward',
    'OccurredDto',
  )
  interest(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: OccurredDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      { type: 'ExpressInterest', data: { partnerId, occurredAt: dto.occurredAt } },
      metadata,
    );
  }

  @CommandRoute(':id/training', 'CompleteTraining', 'Record completed training', 'TrainingDto')
  training(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: TrainingDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'CompleteTraining',
        data: { partnerId, course: dto.course, occurredAt: dto.occurredAt },
      },
      metadata,
    );
  }

  @CommandRoute(
    ':id/withdrawal',
    'Withdraw',
    'Record a withdrawal (vacates every seat and co-chair role)',
    'WithdrawalDto',
  )
  withdraw(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: WithdrawalDto,
    @CommandMeta() metadata: CommandMetadata,
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
    );
  }

  @CommandRoute(':id/expenses', 'ClaimExpense', 'Claim out-of-pocket expenses', 'ExpenseClaimDto')
  async claim(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: ExpenseClaimDto,
    @CommandMeta() metadata: CommandMetadata,
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
    );
    return { ...result, claimId };
  }

  @CommandRoute(
    ':id/involvement-payments',
    'RecordInvolvementPayment',
    'Record an involvement payment made to a lay partner',
    'InvolvementPaymentDto',
  )
  recordPayment(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: InvolvementPaymentDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.payment('RecordInvolvementPayment', partnerId, dto, metadata);
  }

  @CommandRoute(
    ':id/involvement-payments/declined',
    'RecordInvolvementPaymentDeclined',
    'Record an involvement payment offered and declined',
    'InvolvementPaymentDto',
  )
  recordDeclined(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: InvolvementPaymentDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.payment('RecordInvolvementPaymentDeclined', partnerId, dto, metadata);
  }

  private async payment(
    type: 'RecordInvolvementPayment' | 'RecordInvolvementPaymentDeclined',
    partnerId: string,
    dto: InvolvementPaymentDto,
    metadata: CommandMetadata,
  ) {
    const paymentId = dto.paymentId ?? newId(metadata, 'payment');
    const result = await this.run(
      {
        type,
        data: {
          partnerId,
          paymentId,
          amountPence: dto.amountPence,
          currency: dto.currency ?? 'GBP',
          ...(dto.roleLevel === undefined ? {} : { roleLevel: dto.roleLevel }),
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
    );
    return { ...result, paymentId };
  }

  @CommandRoute(
    ':id/expenses/:claimId/reimbursement',
    'ReimburseExpense',
    'Reimburse an expense claim',
    'OccurredDto',
  )
  reimburse(
    @Param('id', ParseIdPipe) partnerId: string,
    @Param('claimId', ParseIdPipe) claimId: string,
    @Body() dto: OccurredDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      { type: 'ReimburseExpense', data: { partnerId, claimId, occurredAt: dto.occurredAt } },
      metadata,
    );
  }

  @CommandRoute(
    ':id/expenses/:claimId/rejection',
    'RejectExpense',
    'Reject an expense claim, with a reason',
    'ExpenseRejectionDto',
  )
  reject(
    @Param('id', ParseIdPipe) partnerId: string,
    @Param('claimId', ParseIdPipe) claimId: string,
    @Body() dto: ExpenseRejectionDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'RejectExpense',
        data: { partnerId, claimId, reason: dto.reason, occurredAt: dto.occurredAt },
      },
      metadata,
    );
  }

  @CommandRoute(
    ':id/erasure',
    'ErasePersonalData',
    'Erase a withdrawn partner’s personal data (destroys their key)',
    'OccurredDto',
  )
  erase(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: OccurredDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      { type: 'ErasePersonalData', data: { partnerId, occurredAt: dto.occurredAt } },
      metadata,
    );
  }
}
