import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../commands/command-metadata.js';
import { ExecuteGroupCommand } from '../commands/group/group-command.handler.js';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { created } from './command-response.js';
import { AllocateSeatDto, EstablishGroupDto, VacateSeatDto } from './dto/group.dto.js';
import { ApiError } from './errors/error-body.js';
import { ParseIdPipe } from './ids.js';
import { CommandMeta, newId } from './request-context.js';
import { CommandRoute, QueryRoute } from './openapi/api-docs.decorators.js';
import { ApiTags } from '@nestjs/swagger';
import { parseInstant } from './time-query.js';
import { READERS, RECORDERS, Roles } from '../security/roles.js';

@ApiTags('groups')
@Roles(...RECORDERS)
@Controller('v1/groups')
export class GroupsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly readModels: ReadModels,
  ) {}

  @Post()
  @HttpCode(201)
  @CommandRoute('Establish a group', 'EstablishGroupDto', [
    'group_exists',
    'invalid_lay_seats',
    'parent_group_not_found',
    'occurred_in_future',
  ])
  async establish(
    @Body() dto: EstablishGroupDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteGroupCommand(
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
            occurredAt: dto.occurredAt,
          },
        },
        metadata,
      ),
    );
    return created(reply, result);
  }

  @Post(':id/seats')
  @HttpCode(201)
  @CommandRoute('Allocate a seat', 'AllocateSeatDto', [
    'group_not_found',
    'partner_not_found',
    'partner_not_appointed',
    'partner_withdrawn',
    'already_seated',
    'lay_seats_full',
    'seat_exists',
    'group_dissolved',
    'professional_cannot_take_lay_seat',
    'lay_partner_lay_seat_only',
    'constituency_mismatch',
    'allocated_before_group_established',
    'allocated_before_partner_joined',
    'allocated_before_appointment',
    'until_not_after_start',
    'occurred_in_future',
  ])
  async allocateSeat(
    @Param('id', ParseIdPipe) groupId: string,
    @Body() dto: AllocateSeatDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const seatId = dto.seatId ?? newId(metadata, 'seat');
    const result = await this.commands.execute(
      new ExecuteGroupCommand(
        {
          type: 'AllocateSeat',
          data: {
            groupId,
            seatId,
            partnerId: dto.partnerId,
            constituency: dto.constituency,
            termEndsOn: dto.termEndsOn ?? null,
            occurredAt: dto.occurredAt,
            until: dto.until ?? null,
          },
        },
        metadata,
      ),
    );
    return { ...created(reply, result), seatId };
  }

  @Post(':id/seats/:seatId/vacate')
  @HttpCode(201)
  @CommandRoute('Vacate a seat (a co-chair holding it stands down too)', 'VacateSeatDto', [
    'group_not_found',
    'seat_not_found',
    'seat_already_vacated',
    'vacated_before_allocated',
    'vacated_before_meeting',
    'vacated_before_decision',
    'vacated_before_co_chair_term_ended',
    'stood_down_before_appointed',
    'group_dissolved',
    'occurred_in_future',
  ])
  async vacateSeat(
    @Param('id', ParseIdPipe) groupId: string,
    @Param('seatId', ParseIdPipe) seatId: string,
    @Body() dto: VacateSeatDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteGroupCommand(
        {
          type: 'VacateSeat',
          data: { groupId, seatId, reason: dto.reason, occurredAt: dto.occurredAt },
        },
        metadata,
      ),
    );
    return created(reply, result);
  }

  /** Who sat on this group and when, as the record stood at `knownAt` (default: now). */
  @Get(':id/tenures')
  @Roles(...READERS)
  @QueryRoute('Who sat on this group, and when')
  async tenures(
    @Param('id', ParseIdPipe) groupId: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const asked = parseInstant('knownAt', knownAt); // a bad date is refused before any wait
    await this.readModels.atLeast(minPosition);
    const known = asked ?? Date.now(); // "now" once the read models include minPosition
    if (!this.readModels.governance.groupExists(groupId)) {
      throw new ApiError(404, 'group_not_found', `Group ${groupId} does not exist`, { groupId });
    }
    return {
      groupId,
      knownAt: new Date(known).toISOString(),
      tenures: this.readModels.governance.tenures(groupId, known),
    };
  }
}
