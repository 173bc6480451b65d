import { Module } from '@nestjs/common';
import { HistoryController } from './history.controller.js';

/** The log read as history: timeline, replay, live events. */
@Module({ controllers: [HistoryController] })
export class HistoryModule {}
