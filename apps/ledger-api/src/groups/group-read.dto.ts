import { ApiProperty } from '@nestjs/swagger';

/** Response bodies of the group read routes, for the OpenAPI document. */

export class SeatHeldDto {
  @ApiProperty() seatId!: string;
  @ApiProperty({ description: 'Pseudonymised for evaluators' }) partnerId!: string;
  @ApiProperty({ type: String, nullable: true }) partnerName!: string | null;
  @ApiProperty({ example: 'lay' }) constituency!: string;
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) termEndsOn!: string | null;
}

export class CoChairHeldDto {
  @ApiProperty() partnerId!: string;
  @ApiProperty({ type: String, nullable: true }) partnerName!: string | null;
  @ApiProperty() constituency!: string;
  @ApiProperty() seatId!: string;
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ type: String, nullable: true }) electionId!: string | null;
}

export class LaySeatsFilledDto {
  @ApiProperty({ type: 'integer' }) min!: number;
  @ApiProperty({ type: 'integer' }) max!: number;
  @ApiProperty({ type: 'integer', description: 'Lay seats held as of the date' }) filled!: number;
  @ApiProperty() belowMinimum!: boolean;
}

export class GroupDto {
  @ApiProperty() groupId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() level!: string;
  @ApiProperty({ type: String, nullable: true }) parentGroupId!: string | null;
  @ApiProperty({ type: String, nullable: true }) borough!: string | null;
  @ApiProperty() cadence!: string;
  @ApiProperty({ format: 'date-time' }) establishedAt!: string;
  @ApiProperty({ type: [String] }) coChairConstituencies!: string[];
  @ApiProperty({ type: LaySeatsFilledDto }) laySeats!: LaySeatsFilledDto;
  @ApiProperty({ type: [SeatHeldDto] }) seats!: SeatHeldDto[];
  @ApiProperty({ type: [CoChairHeldDto] }) coChairs!: CoChairHeldDto[];
  @ApiProperty({ enum: ['active', 'dissolved'] }) status!: 'active' | 'dissolved';
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) dissolvedAt!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the ledger learnt of the establishment' })
  recordedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  dissolvedRecordedAt!: string | null;
}

export class GroupAtDto extends GroupDto {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ format: 'date-time' }) knownAt!: string;
}

export class GroupsDto {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ format: 'date-time' }) knownAt!: string;
  @ApiProperty({ type: [GroupDto] }) groups!: GroupDto[];
}

export class TenureDto {
  @ApiProperty() groupId!: string;
  @ApiProperty() seatId!: string;
  @ApiProperty({ enum: ['seat', 'co-chair'] }) role!: string;
  @ApiProperty({ type: String, nullable: true }) electionId!: string | null;
  @ApiProperty() partnerId!: string;
  @ApiProperty({ type: String, nullable: true }) partnerName!: string | null;
  @ApiProperty() constituency!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'null: still open on asOf, as known at knownAt',
  })
  to!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) termEndsOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) endReason!: string | null;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) endRecordedAt!: string | null;
}

export class GroupTenuresDto {
  @ApiProperty() groupId!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ format: 'date-time' }) knownAt!: string;
  @ApiProperty({ type: [TenureDto] }) tenures!: TenureDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The next page’s cursor; null on the last page',
  })
  next!: string | null;
}
