import { Module } from '@nestjs/common';
import { ProgrammeCommandHandler } from './programme-command.handler.js';
import { ProgrammesController } from './programmes.controller.js';

/** The programme stream: launch, role profiles, nomination requests, workshops, principles. */
@Module({ controllers: [ProgrammesController], providers: [ProgrammeCommandHandler] })
export class ProgrammesModule {}
