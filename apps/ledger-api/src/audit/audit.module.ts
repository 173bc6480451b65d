import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';

/** Whether the record was altered: verification of the hash chain. */
@Module({ controllers: [AuditController] })
export class AuditModule {}
