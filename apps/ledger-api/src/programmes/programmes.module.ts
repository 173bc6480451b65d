import { Module } from '@nestjs/common';
import { ProgrammeCommandHandler } from './programme-command.handler.js';
import { ProgrammesReadController } from './programmes-read.controller.js';
import { ProgrammesController } from './programmes.controller.js';

/** The programme stream: launch, role profiles, nomination requests, workshops, principles; and reading them back. */
@Module({
  controllers: [ProgrammesController, ProgrammesReadController],
  providers: [ProgrammeCommandHandler],
})
export class ProgrammesModule {}
