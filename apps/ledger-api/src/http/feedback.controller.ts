import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Feedback stream routes: /v1/feedback, /v1/feedback/:id/{responses,report-back}. */
@ApiTags('feedback')
@Controller('v1/feedback')
export class FeedbackController {}
