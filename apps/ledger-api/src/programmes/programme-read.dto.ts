import { ApiProperty } from '@nestjs/swagger';

/** Response bodies of the programme read routes. */

export class RoleProfileDto {
  @ApiProperty() meetingsPerMonth!: number;
  @ApiProperty() hoursPerMonth!: number;
  @ApiProperty() paid!: boolean;
  @ApiProperty() expensesReimbursed!: boolean;
  @ApiProperty() summary!: string;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

export class OrganisationAskedDto {
  @ApiProperty() name!: string;
  @ApiProperty() kind!: string;
}

export class NominationRequestDto {
  @ApiProperty() campaign!: string;
  @ApiProperty({ type: [OrganisationAskedDto] }) organisations!: OrganisationAskedDto[];
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

export class RecruitmentWorkshopDto {
  @ApiProperty() workshopId!: string;
  @ApiProperty() campaign!: string;
  @ApiProperty({ type: 'integer' }) attendees!: number;
  @ApiProperty({ format: 'date-time' }) heldAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

export class PrinciplesVersionDto {
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: [String] }) statements!: string[];
  @ApiProperty() adoptedBy!: string;
  @ApiProperty({ type: 'integer', nullable: true }) supersedes!: number | null;
  @ApiProperty({ format: 'date-time' }) adoptedAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

export class WithdrawalReasonEntryDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
}

export class WithdrawalReasonsDto {
  @ApiProperty({ type: [WithdrawalReasonEntryDto] }) reasons!: WithdrawalReasonEntryDto[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) definedAt!: string | null;
  @ApiProperty({ description: 'true: the programme defined none, the default set applies' })
  isDefault!: boolean;
}

export class ResponseTargetsDto {
  @ApiProperty({ type: 'integer', nullable: true, description: 'Days from heard to a response' })
  firstResponseDays!: number | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Days from heard to reporting back',
  })
  reportBackDays!: number | null;
  @ApiProperty({ format: 'date-time', description: 'Business date from which they apply' })
  setAt!: string;
  @ApiProperty({ description: 'The `ResponseTargetsSet` event’s position in $all' })
  position!: string;
}

export class ProgrammeDto {
  @ApiProperty() programmeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) boroughs!: string[];
  @ApiProperty({ format: 'date-time' }) launchedAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: RoleProfileDto, nullable: true, description: 'The profile in force' })
  roleProfile!: RoleProfileDto | null;
  @ApiProperty({ type: [RoleProfileDto] }) roleProfiles!: RoleProfileDto[];
  @ApiProperty({ type: [NominationRequestDto] }) nominationRequests!: NominationRequestDto[];
  @ApiProperty({ type: [RecruitmentWorkshopDto] }) workshops!: RecruitmentWorkshopDto[];
  @ApiProperty({ type: [PrinciplesVersionDto] }) principles!: PrinciplesVersionDto[];
  @ApiProperty({ type: 'integer', nullable: true }) principlesInForce!: number | null;
  @ApiProperty({ type: WithdrawalReasonsDto }) withdrawalReasons!: WithdrawalReasonsDto;
  @ApiProperty({
    type: ResponseTargetsDto,
    nullable: true,
    description: 'The response targets in force (POST /v1/programmes/:id/response-targets)',
  })
  responseTargets!: ResponseTargetsDto | null;
  @ApiProperty({ type: [ResponseTargetsDto], description: 'Every set of targets, oldest first' })
  responseTargetsHistory!: ResponseTargetsDto[];
}

export class ProgrammeAtDto extends ProgrammeDto {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ format: 'date-time' }) knownAt!: string;
}

export class ProgrammesDto {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ format: 'date-time' }) knownAt!: string;
  @ApiProperty({ type: [ProgrammeDto] }) programmes!: ProgrammeDto[];
}
