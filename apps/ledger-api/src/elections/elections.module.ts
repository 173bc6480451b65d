import { Module } from '@nestjs/common';
import { ElectionCommandHandler } from './election-command.handler.js';
import { ElectionsController } from './elections.controller.js';

/** The election stream: co-chair elections opened on a group, candidates, secret ballots, close. */
@Module({ controllers: [ElectionsController], providers: [ElectionCommandHandler] })
export class ElectionsModule {}
