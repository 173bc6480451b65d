import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';

/** The record itself and whether it was altered: the raw event log and verification of the hash chain. */
@Module({ controllers: [AuditController] })
export class AuditModule {}
