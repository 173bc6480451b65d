import type { FeedbackCommand } from '@app/domain';
import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata, CommandResult } from '../commands/command-metadata.js';
import { ExecuteFeedbackCommand } from './feedback-command.handler.js';
import { HearFeedbackDto, ReportBackDto, RespondToFeedbackDto } from './feedback.dto.js';
import { ParseIdPipe } from '../http/ids.js';
import { CommandRoute } from '../http/command-route.js';
import { CommandMeta, newId } from '../http/request-context.js';
import { RECORDERS, Roles } from '../security/roles.js';

/** Feedback stream routes: /v1/feedback, /v1/feedback/:id/{responses,report-back}. */
@ApiTags('feedback')
@Roles(...RECORDERS)
@Controller('v1/feedback')
export class FeedbackController {
  constructor(private readonly commands: CommandBus) {}

  private run(command: FeedbackCommand, metadata: CommandMetadata): Promise<CommandResult> {
    return this.commands.execute(new ExecuteFeedbackCommand(command, metadata));
  }

  @CommandRoute('', 'HearFeedback', 'Record feedback heard', 'HearFeedbackDto')
  hear(@Body() dto: HearFeedbackDto, @CommandMeta() metadata: CommandMetadata) {
    return this.run(
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
    );
  }

  @CommandRoute(
    ':id/responses',
    'RespondToFeedback',
    'Record a response to feedback',
    'RespondToFeedbackDto',
  )
  async respond(
    @Param('id', ParseIdPipe) feedbackId: string,
    @Body() dto: RespondToFeedbackDto,
    @CommandMeta() metadata: CommandMetadata,
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
    return { ...result, responseId };
  }

  @CommandRoute(
    ':id/report-back',
    'ReportBack',
    'Record that the result was reported back',
    'ReportBackDto',
  )
  reportBack(
    @Param('id', ParseIdPipe) feedbackId: string,
    @Body() dto: ReportBackDto,
    @CommandMeta() metadata: CommandMetadata,
  ) {
    return this.run(
      { type: 'ReportBack', data: { feedbackId, how: dto.how, occurredAt: dto.occurredAt } },
      metadata,
    );
  }
}
