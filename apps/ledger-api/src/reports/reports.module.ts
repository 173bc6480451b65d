import { Module } from '@nestjs/common';
import { ExportsController } from './exports.controller.js';
import { ReportsController } from './reports.controller.js';

/** Reports across streams (funnel, participation, representation, expenses) and their exports. */
@Module({ controllers: [ReportsController, ExportsController] })
export class ReportsModule {}
