import { Module } from '@nestjs/common';
import { GroupCommandHandler } from './group-command.handler.js';
import { GroupsReadController } from './groups-read.controller.js';
import { GroupsController } from './groups.controller.js';

/** The group stream: establishment, seats, co-chairs, meetings, decisions, dissolution, tenures. */
@Module({
  controllers: [GroupsController, GroupsReadController],
  providers: [GroupCommandHandler],
})
export class GroupsModule {}
