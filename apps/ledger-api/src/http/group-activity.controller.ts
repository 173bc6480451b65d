import type { GroupCommand } from '@app/domain';
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../commands/command-metadata.js';
import { ExecuteGroupCommand } from '../commands/group/group-command.handler.js';
import { RECORDERS, Roles } from '../security/roles.js';
import { created } from './command-response.js';
import {
  AppointCoChairDto,
  DissolveGroupDto,
  HoldMeetingDto,
  RecordDecisionDto,
  StandDownDto,
} from './dto/group-activity.dto.js';
import { ParseIdPipe } from './ids.js';
import { CommandRoute } from './openapi/api-docs.decorators.js';
import { CommandMeta, newId } from './request-context.js';

/** What a group does once established: co-chairs, meetings, decisions, dissolution. */
@ApiTags('groups')
@Roles(...RECORDERS)
@Controller('v1/groups')
export class GroupActivityController {
  constructor(private readonly commands: CommandBus) {}

  private async run(command: GroupCommand, metadata: CommandMetadata, reply: FastifyReply) {
    return created(reply, await this.commands.execute(new ExecuteGroupCommand(command, metadata)));
  }

  @Post(':id/co-chairs')
  @HttpCode(201)
  @CommandRoute(
    'Appoint a co-chair (who holds a seat on the group for that constituency)',
    'AppointCoChairDto',
    [
      'group_not_found',
      'co_chair_not_seated',
      'co_chair_constituency_taken',
      'constituency_has_no_co_chair',
      'already_co_chair',
      'co_chair_term_outlasts_seat',
      'until_not_after_start',
    ],
  )
  appointCoChair(
    @Param('id', ParseIdPipe) groupId: string,
    @Body() dto: AppointCoChairDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      {
        type: 'AppointCoChair',
        data: {
          groupId,
          partnerId: dto.partnerId,
          constituency: dto.constituency,
          occurredAt: dto.occurredAt,
          until: dto.until ?? null,
        },
      },
      metadata,
      reply,
    );
  }

  @Post(':id/co-chairs/:partnerId/stand-down')
  @HttpCode(201)
  @CommandRoute('A co-chair stands down', 'StandDownDto', [
    'group_not_found',
    'co_chair_not_found',
    'stood_down_before_appointed',
  ])
  standDown(
    @Param('id', ParseIdPipe) groupId: string,
    @Param('partnerId', ParseIdPipe) partnerId: string,
    @Body() dto: StandDownDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      {
        type: 'StandDownCoChair',
        data: { groupId, partnerId, reason: dto.reason, occurredAt: dto.occurredAt },
      },
      metadata,
      reply,
    );
  }

  @Post(':id/meetings')
  @HttpCode(201)
  @CommandRoute('Record a meeting with attendance and apologies', 'HoldMeetingDto', [
    'group_not_found',
    'meeting_exists',
    'attendee_not_seated',
    'duplicate_attendance',
  ])
  async meeting(
    @Param('id', ParseIdPipe) groupId: string,
    @Body() dto: HoldMeetingDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
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
      reply,
    );
    return { ...result, meetingId };
  }

  @Post(':id/decisions')
  @HttpCode(201)
  @CommandRoute(
    'Record a decision, the feedback that influenced it and the lay members present',
    'RecordDecisionDto',
    [
      'group_not_found',
      'decision_exists',
      'feedback_not_found',
      'not_a_lay_member',
      'meeting_not_found',
      'decided_before_feedback_heard',
    ],
  )
  async decision(
    @Param('id', ParseIdPipe) groupId: string,
    @Body() dto: RecordDecisionDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
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
      reply,
    );
    return { ...result, decisionId };
  }

  @Post(':id/dissolution')
  @HttpCode(201)
  @CommandRoute('Dissolve a group (ends every seat and co-chair role)', 'DissolveGroupDto', [
    'group_not_found',
    'group_dissolved',
    'dissolved_before_last_activity',
  ])
  dissolve(
    @Param('id', ParseIdPipe) groupId: string,
    @Body() dto: DissolveGroupDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      { type: 'DissolveGroup', data: { groupId, reason: dto.reason, occurredAt: dto.occurredAt } },
      metadata,
      reply,
    );
  }
}
