import { Module } from '@nestjs/common';
import { MeController, WebController } from './web.controller.js';

/** The evaluator and auditor page, and who the caller is. */
@Module({ controllers: [WebController, MeController] })
export class WebModule {}
