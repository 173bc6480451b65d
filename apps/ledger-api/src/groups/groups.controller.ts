import type { GroupCommand } from '@app/domain';
import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata, CommandResult } from '../commands/command-metadata.js';
import { ExecuteGroupCommand } from './group-command.handler.js';
import { RECORDERS, Roles } from '../security/roles.js';
import { AllocateSeatDto, EstablishGroupDto, VacateSeatDto } from './group.dto.js';
import {
  AppointCoChairDto,
  DissolveGroupDto,
  HoldMeetingDto,
  RecordDecisionDto,
  StandDownDto,
} from './group-activity.dto.js';
import { ParseIdPipe } from '../http/ids.js';
import { CommandRoute } from '../http/command-route.js';
import { CommandMeta, newId } from '../http/request-context.js';

/** The group stream's write side: establishment, seats, co-chairs, meetings, decisions, dissolution. */
@ApiTags('groups')
@Roles(...RECORDERS)
@Controller('v1/groups')
export class GroupsController {
  constructor(private readonly commands: CommandBus) {}

  private run(command: GroupCommand, metadata: CommandMetadata): Promise<CommandResult> {
    return this.commands.execute(new ExecuteGroupCommand(command, metadata));
  }

  @CommandRoute('', 'EstablishGroup', 'Establish a group', 'EstablishGroupDto')
  establish(@Body() dto: EstablishGroupDto, @CommandMeta() metadata: CommandMetadata) {
    return this.run(
      {
        type: 'EstablishGroup',
        data: {
          groupId: dto.groupId ?? newId(metadata, 'group'),
          name: dto.name,
          kind: dto.kind,
          level: dto.level,
          parentGroupId: dto.parentGroupId ?? null,
          borough: dto.borough ?? null,
          cadence: dto.cadence,
          laySeats: { min: dto.laySeats.min, max: dto.laySeats.max },
          coChairConstituencies: dto.coChairConstituencies,
          ...(dto.programmeId === undefined ? {} : { programmeId: dto.programmeId }),
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
    );
  }

  @CommandRoute(':id/seats', 'AllocateSeat', 'Allocate a seat', 'AllocateSeatDto')
  async allocateSeat(
    @Param('id', ParseIdPipe) groupId: string,
    @Body() dto: AllocateSeatDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    const seatId = dto.seatId ?? newId(metadata, 'seat');
    const result = await this.run(
      {
        type: 'AllocateSeat',
        data: {
          groupId,
          seatId,
          partnerId: dto.partnerId,
          constituency: dto.constituency,
          termEndsOn: dto.termEndsOn ?? null,
          ...(dto.roleLevel === undefined ? {} : { roleLevel: dto.roleLevel }),
          until: dto.until ?? null,
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
    );
    return { ...result, seatId };
  }

  @CommandRoute(
    ':id/seats/:seatId/vacate',
    'VacateSeat',
    'Vacate a seat (a co-chair holding it stands down too)',
    'VacateSeatDto',
  )
  vacateSeat(
    @Param('id', ParseIdPipe) groupId: string,
    @Param('seatId', ParseIdPipe) seatId: string,
    @Body() dto: VacateSeatDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'VacateSeat',
        data: { groupId, seatId, reason: dto.reason, occurredAt: dto.occurredAt },
      },
      metadata,
    );
  }

  @CommandRoute(
    ':id/co-chairs',
    'AppointCoChair',
    'Appoint a co-chair (who holds a seat on the group for that constituency)',
    'AppointCoChairDto',
  )
  appointCoChair(
    @Param('id', ParseIdPipe) groupId: string,
    @Body() dto: AppointCoChairDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'AppointCoChair',
        data: {
          groupId,
          partnerId: dto.partnerId,
          constituency: dto.constituency,
          ...(dto.roleLevel === undefined ? {} : { roleLevel: dto.roleLevel }),
          until: dto.until ?? null,
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
    );
  }

  @CommandRoute(
    ':id/co-chairs/:partnerId/stand-down',
    'StandDownCoChair',
    'A co-chair stands down',
    'StandDownDto',
  )
  standDown(
    @Param('id', ParseIdPipe) groupId: string,
    @Param('partnerId', ParseIdPipe) partnerId: string,
    @Body() dto: StandDownDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'StandDownCoChair',
        data: { groupId, partnerId, reason: dto.reason, occurredAt: dto.occurredAt },
      },
      metadata,
    );
  }

  @CommandRoute(
    ':id/meetings',
    'HoldMeeting',
    'Record a meeting with attendance and apologies',
    'HoldMeetingDto',
  )
  async meeting(
    @Param('id', ParseIdPipe) groupId: string,
    @Body() dto: HoldMeetingDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    const meetingId = dto.meetingId ?? newId(metadata, 'meeting');
    const result = await this.run(
      {
        type: 'HoldMeeting',
        data: {
          groupId,
          meetingId,
          attendees: dto.attendees,
          apologies: dto.apologies ?? [],
          durationMinutes: dto.durationMinutes,
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
    );
    return { ...result, meetingId };
  }

  @CommandRoute(
    ':id/decisions',
    'RecordDecision',
    'Record a decision, the feedback that influenced it and the lay members present',
    'RecordDecisionDto',
  )
  async decision(
    @Param('id', ParseIdPipe) groupId: string,
    @Body() dto: RecordDecisionDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    const decisionId = dto.decisionId ?? newId(metadata, 'decision');
    const result = await this.run(
      {
        type: 'RecordDecision',
        data: {
          groupId,
          decisionId,
          summary: dto.summary,
          influencedBy: dto.influencedBy ?? [],
          layMembersPresent: dto.layMembersPresent ?? [],
          touchstoneVersion: dto.touchstoneVersion ?? null,
          meetingId: dto.meetingId ?? null,
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
    );
    return { ...result, decisionId };
  }

  @CommandRoute(
    ':id/dissolution',
    'DissolveGroup',
    'Dissolve a group (ends every seat and co-chair role)',
    'DissolveGroupDto',
  )
  dissolve(
    @Param('id', ParseIdPipe) groupId: string,
    @Body() dto: DissolveGroupDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      { type: 'DissolveGroup', data: { groupId, reason: dto.reason, occurredAt: dto.occurredAt } },
      metadata,
    );
  }
}
