import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../commands/command-metadata.js';
import { ExecutePartnerCommand } from '../commands/partner/partner-command.handler.js';
import { created } from './command-response.js';
import { AppointPartnerDto, NominatePartnerDto } from './dto/partner.dto.js';
import { ParseIdPipe } from './ids.js';
import { CommandMeta, newId } from './request-context.js';
import { CommandRoute } from './openapi/api-docs.decorators.js';
import { ApiTags } from '@nestjs/swagger';
import { RECORDERS, Roles } from '../security/roles.js';

@ApiTags('partners')
@Roles(...RECORDERS)
@Controller('v1/partners')
export class PartnersController {
  constructor(private readonly commands: CommandBus) {}

  @Post('nominations')
  @HttpCode(201)
  @CommandRoute('Record a lay partner nomination', 'NominatePartnerDto', [
    'partner_exists',
    'programme_not_found',
    'joined_before_programme_launched',
  ])
  async nominate(
    @Body() dto: NominatePartnerDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecutePartnerCommand(
        {
          type: 'NominatePartner',
          data: {
            partnerId: dto.partnerId ?? newId(metadata, 'partner'),
            name: dto.name,
            ...(dto.email === undefined ? {} : { email: dto.email }),
            ...(dto.phone === undefined ? {} : { phone: dto.phone }),
            nominatedBy: {
              organisation: dto.nominatedBy.organisation,
              organisationKind: dto.nominatedBy.organisationKind,
            },
            ...(dto.campaign === undefined ? {} : { campaign: dto.campaign }),
            ...(dto.programmeId === undefined ? {} : { programmeId: dto.programmeId }),
            occurredAt: dto.occurredAt,
          },
        },
        metadata,
      ),
    );
    return created(reply, result);
  }

  @Post(':id/appointment')
  @HttpCode(201)
  @CommandRoute('Appoint a partner to the Advisory Group or the Forum', 'AppointPartnerDto', [
    'partner_not_found',
    'already_appointed',
    'partner_withdrawn',
  ])
  async appoint(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: AppointPartnerDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new ExecutePartnerCommand(
        { type: 'AppointPartner', data: { partnerId, body: dto.body, occurredAt: dto.occurredAt } },
        metadata,
      ),
    );
    return created(reply, result);
  }
}
