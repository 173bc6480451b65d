import { Module } from '@nestjs/common';
import { ReadsModule } from '../reads/reads.module.js';
import { FeedbackCommandHandler } from './feedback-command.handler.js';
import { FeedbackController } from './feedback.controller.js';
import { InfluenceController } from './influence.controller.js';

/** The feedback stream: heard, responded, reported back; its read side is the influence ledger. */
@Module({
  imports: [ReadsModule],
  controllers: [FeedbackController, InfluenceController],
  providers: [FeedbackCommandHandler],
})
export class FeedbackModule {}
