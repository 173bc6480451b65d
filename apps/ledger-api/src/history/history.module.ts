import { Module } from '@nestjs/common';
import { HistoryController } from './history.controller.js';
import { LiveFeed } from './live-feed.js';

/** The log read as history: timeline, replay, live events. */
@Module({ controllers: [HistoryController], providers: [LiveFeed] })
export class HistoryModule {}
