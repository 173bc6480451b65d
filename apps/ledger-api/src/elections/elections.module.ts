import { Module } from '@nestjs/common';
import { ElectionCommandHandler } from './election-command.handler.js';
import { ElectionsReadController } from './elections-read.controller.js';
import { ElectionsController } from './elections.controller.js';

/** The election stream: co-chair elections opened on a group, candidates, secret ballots, close; and their results. */
@Module({
  controllers: [ElectionsController, ElectionsReadController],
  providers: [ElectionCommandHandler],
})
export class ElectionsModule {}
