import { LAY_BODIES, ORGANISATION_KINDS, type LayBody, type OrganisationKind } from '@app/domain';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
import { BusinessTime, OptionalId, Text } from '../http/common.dto.js';

export class NominatingOrganisationDto {
  @Text(200) organisation!: string;
  @IsIn(ORGANISATION_KINDS) organisationKind!: OrganisationKind;
}

export class NominatePartnerDto {
  @OptionalId() partnerId?: string;
  @Text(200) name!: string;
  @IsOptional() @IsEmail() email?: string;
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{6,20}$/, { message: 'phone must be a telephone number' })
  phone?: string;
  @IsObject()
  @ValidateNested()
  @Type(() => NominatingOrganisationDto)
  nominatedBy!: NominatingOrganisationDto;
  @IsOptional() @Text(100) campaign?: string;
  /**
   * The programme the partner belongs to (its withdrawal reasons apply; they sit only on its
   * groups). Optional when the ledger runs one programme; with several, required.
   */
  @OptionalId() programmeId?: string;
  @BusinessTime() occurredAt!: string;
}

export class AppointPartnerDto {
  @IsIn(LAY_BODIES) body!: LayBody;
  @BusinessTime() occurredAt!: string;
}
