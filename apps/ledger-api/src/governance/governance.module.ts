import { Module } from '@nestjs/common';
import { GovernanceController } from './governance.controller.js';

/** The whole structure as of a date, as the record stood at a date. */
@Module({ controllers: [GovernanceController] })
export class GovernanceModule {}
