import { Module } from '@nestjs/common';
import { ReadsModule } from '../reads/reads.module.js';
import { PartnerCommandHandler } from './partner-command.handler.js';
import { PartnersReadController } from './partners-read.controller.js';
import { PartnersController } from './partners.controller.js';

/** The partner stream: a person's path from nomination to withdrawal, and its read side. */
@Module({
  imports: [ReadsModule],
  controllers: [PartnersController, PartnersReadController],
  providers: [PartnerCommandHandler],
})
export class PartnersModule {}
