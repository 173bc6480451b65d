import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../commands/command-metadata.js';
import { ExecuteFeedbackCommand } from '../commands/feedback/feedback-command.handler.js';
import { created } from './command-response.js';
import { HearFeedbackDto, ReportBackDto, RespondToFeedbackDto } from './dto/feedback.dto.js';
import { ParseIdPipe } from './ids.js';
import { CommandRoute } from './openapi/api-docs.decorators.js';
import { CommandMeta, newId } from './request-context.js';
import { RECORDERS, Roles } from '../security/roles.js';

/** Feedback stream routes: /v1/feedback, /v1/feedback/:id/{responses,report-back}. */
@ApiTags('feedback')
@Roles(...RECORDERS)
@Controller('v1/feedback')
export class FeedbackController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @CommandRoute('Record feedback heard', 'HearFeedbackDto', [
    'feedback_exists',
    'summary_required',
    'group_not_found',
    'group_dissolved',
    'heard_before_group_established',
    'partner_not_found',
    'heard_before_partner_joined',
    'partner_withdrawn',
    'occurred_in_future',
  ])
  async hear(
    @Body() dto: HearFeedbackDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteFeedbackCommand(
        {
          type: 'HearFeedback',
          data: {
            feedbackId: dto.feedbackId ?? newId(metadata, 'feedback'),
            channel: dto.channel,
            kind: dto.kind,
            summary: dto.summary,
            groupId: dto.groupId ?? null,
            raisedBy: dto.raisedBy ?? null,
            occurredAt: dto.occurredAt,
          },
        },
        metadata,
      ),
    );
    return created(reply, result);
  }

  @Post(':id/responses')
  @HttpCode(201)
  @CommandRoute('Record a response to feedback', 'RespondToFeedbackDto', [
    'feedback_not_found',
    'response_exists',
    'rationale_required',
    'responded_before_heard',
    'decision_not_found',
    'responded_before_decision',
    'occurred_in_future',
  ])
  async respond(
    @Param('id', ParseIdPipe) feedbackId: string,
    @Body() dto: RespondToFeedbackDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const responseId = dto.responseId ?? newId(metadata, 'response');
    const result = await this.commands.execute(
      new ExecuteFeedbackCommand(
        {
          type: 'RespondToFeedback',
          data: {
            feedbackId,
            responseId,
            outcome: dto.outcome,
            rationale: dto.rationale ?? null,
            decisionId: dto.decisionId ?? null,
            respondedBy: dto.respondedBy,
            occurredAt: dto.occurredAt,
          },
        },
        metadata,
        dto.decisionGroupId ?? null,
      ),
    );
    return { ...created(reply, result), responseId };
  }

  @Post(':id/report-back')
  @HttpCode(201)
  @CommandRoute('Record that the result was reported back', 'ReportBackDto', [
    'feedback_not_found',
    'already_reported_back',
    'no_response_yet',
    'how_required',
    'reported_back_before_response',
    'occurred_in_future',
  ])
  async reportBack(
    @Param('id', ParseIdPipe) feedbackId: string,
    @Body() dto: ReportBackDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecuteFeedbackCommand(
        { type: 'ReportBack', data: { feedbackId, how: dto.how, occurredAt: dto.occurredAt } },
        metadata,
      ),
    );
    return created(reply, result);
  }
}
