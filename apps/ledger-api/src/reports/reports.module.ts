import { Module } from '@nestjs/common';
import { ReadsModule } from '../reads/reads.module.js';
import { ExportsController } from './exports.controller.js';
import { Gripp2Controller } from './gripp2.controller.js';
import { ReportsController } from './reports.controller.js';

/**
 * Reports across streams (funnel, participation, representation, expenses, response clock,
 * involvement cost, GRIPP2) and their exports.
 */
@Module({
  imports: [ReadsModule],
  controllers: [ReportsController, ExportsController, Gripp2Controller],
})
export class ReportsModule {}
