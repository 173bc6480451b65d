import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Election stream routes: /v1/groups/:id/elections, /v1/elections/:id/{candidates,ballots,close}. */
@ApiTags('elections')
@Controller('v1')
export class ElectionsController {}
