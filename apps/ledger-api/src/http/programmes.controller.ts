import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Programme stream routes: /v1/programmes, /v1/programmes/:id/{role-profiles,nomination-requests,workshops,principles}. */
@ApiTags('programmes')
@Controller('v1/programmes')
export class ProgrammesController {}
