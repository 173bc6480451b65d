import { ApiProperty } from '@nestjs/swagger';

/** Response bodies of the election read routes: never who voted for whom. */

export class CandidateDto {
  @ApiProperty({ description: 'Pseudonymised for evaluators' }) partnerId!: string;
  @ApiProperty({ type: String, nullable: true }) partnerName!: string | null;
  @ApiProperty({ format: 'date-time' }) nominatedAt!: string;
}

export class TallyEntryDto {
  @ApiProperty() partnerId!: string;
  @ApiProperty({ type: String, nullable: true }) partnerName!: string | null;
  @ApiProperty({ type: 'integer', description: 'Ballots cast for this candidate' }) votes!: number;
}

export class ElectionDto {
  @ApiProperty() electionId!: string;
  @ApiProperty() groupId!: string;
  @ApiProperty({ example: 'lay' }) constituency!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: 'open' | 'closed';
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) closedAt!: string | null;
  @ApiProperty({ type: 'integer' }) electorateSize!: number;
  @ApiProperty({ type: [CandidateDto] }) candidates!: CandidateDto[];
  @ApiProperty({ type: 'integer', description: 'Electors marked as having voted' })
  turnout!: number;
  @ApiProperty({
    type: [TallyEntryDto],
    nullable: true,
    description: 'Votes per candidate, from the ballots; null while the election is open',
  })
  tally!: TallyEntryDto[] | null;
  @ApiProperty({ type: String, nullable: true, enum: ['elected', 'tied', 'no-candidates'] })
  outcome!: string | null;
  @ApiProperty() tie!: boolean;
  @ApiProperty({ type: String, nullable: true }) electedPartnerId!: string | null;
  @ApiProperty({
    type: 'integer',
    description: '1 for a first election, 2 for its re-run after a tie, …',
  })
  round!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The tied election this one re-runs' })
  rerunOf!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The election that re-ran this tie' })
  rerunBy!: string | null;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  closedRecordedAt!: string | null;
}

export class ElectionAtDto extends ElectionDto {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ format: 'date-time' }) knownAt!: string;
}

export class GroupElectionsDto {
  @ApiProperty() groupId!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ format: 'date-time' }) knownAt!: string;
  @ApiProperty({ type: [ElectionDto] }) elections!: ElectionDto[];
}
