import { Module } from '@nestjs/common';
import { ReadPool } from './read-pool.js';

/** The heavy reads and their reader threads (ADR 0015): one pool for every module that imports it. */
@Module({ providers: [ReadPool], exports: [ReadPool] })
export class ReadsModule {}
