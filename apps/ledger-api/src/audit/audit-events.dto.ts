import { AUDIT_CATEGORIES, type AuditCategory, type AuditFilter } from '@app/projections';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { ID_PATTERN } from '../http/ids.js';

export const MAX_AUDIT_PAGE = 10_000;
export const DEFAULT_AUDIT_PAGE = 1_000;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const STREAM = new RegExp(`^(${AUDIT_CATEGORIES.join('|')})-${ID_PATTERN.source.slice(1, -1)}$`);
const EVENT_TYPES = /^[A-Z][A-Za-z0-9]{0,99}(,[A-Z][A-Za-z0-9]{0,99}){0,49}$/;

/** A real calendar date or instant (2014-02-30 and year 0000 are refused, never rolled over). */
function isQueryInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = DATE_ONLY.exec(value) ?? INSTANT.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return (
    year >= 1 &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    !Number.isNaN(Date.parse(value))
  );
}

const QueryInstant = () =>
  ValidateBy({
    name: 'isQueryInstant',
    validator: {
      validate: isQueryInstant,
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be a real date (2014-03-01) or an ISO 8601 instant with a zone`,
    },
  });

/** Start (`from`) or end (`to`) of a bound: a date alone covers that whole day (UTC). */
function bound(value: string | undefined, end: 'from' | 'to'): number | undefined {
  if (value === undefined) return undefined;
  if (!DATE_ONLY.test(value)) return Date.parse(value);
  return Date.parse(`${value}T${end === 'from' ? '00:00:00.000' : '23:59:59.999'}Z`);
}

/** `GET /v1/audit/events`: a page of the raw log, or (as NDJSON) all of it. */
export class AuditEventsQueryDto {
  @ApiPropertyOptional({
    description: 'First position to read (inclusive): 0 or a page’s `next`',
    type: String,
    pattern: '^(0|[1-9][0-9]{0,17})$',
    example: '0',
  })
  @IsOptional()
  @Matches(/^(0|[1-9][0-9]{0,17})$/, {
    message: 'fromPosition must be a non-negative integer position',
  })
  fromPosition?: string;

  @ApiPropertyOptional({
    description: `Most events in the page, 1–${MAX_AUDIT_PAGE} (default ${DEFAULT_AUDIT_PAGE}); NDJSON streams every matching event unless given`,
    type: Number,
    minimum: 1,
    maximum: MAX_AUDIT_PAGE,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be an integer from 1 to ${MAX_AUDIT_PAGE}` })
  @Min(1, { message: `limit must be an integer from 1 to ${MAX_AUDIT_PAGE}` })
  @Max(MAX_AUDIT_PAGE, { message: `limit must be an integer from 1 to ${MAX_AUDIT_PAGE}` })
  limit?: number;

  @ApiPropertyOptional({
    description: 'One stream by its full name, `<category>-<id>`',
    example: 'group-programme-board',
  })
  @IsOptional()
  @Matches(STREAM, {
    message: `stream must be <category>-<id>, the category one of ${AUDIT_CATEGORIES.join(', ')}`,
  })
  stream?: string;

  @ApiPropertyOptional({ enum: AUDIT_CATEGORIES, description: 'Streams of one category' })
  @IsOptional()
  @IsIn(AUDIT_CATEGORIES, {
    message: `category must be one of ${AUDIT_CATEGORIES.join(', ')}`,
  })
  category?: AuditCategory;

  @ApiPropertyOptional({
    description: 'Event type, or a comma-separated list of types',
    example: 'SeatAllocated,SeatVacated',
  })
  @IsOptional()
  @Matches(EVENT_TYPES, { message: 'type must be event types (SeatAllocated), comma-separated' })
  type?: string;

  @ApiPropertyOptional({
    description: 'Business time (`data.occurredAt`) from, inclusive; a date means its start',
    example: '2014-01-01',
  })
  @IsOptional()
  @QueryInstant()
  occurredFrom?: string;

  @ApiPropertyOptional({
    description: 'Business time to, inclusive; a date means its end (UTC)',
    example: '2014-12-31',
  })
  @IsOptional()
  @QueryInstant()
  occurredTo?: string;

  @ApiPropertyOptional({
    description: 'Record time (`recordedAt`) from, inclusive; a date means its start',
  })
  @IsOptional()
  @QueryInstant()
  recordedFrom?: string;

  @ApiPropertyOptional({ description: 'Record time to, inclusive; a date means its end (UTC)' })
  @IsOptional()
  @QueryInstant()
  recordedTo?: string;

  @ApiPropertyOptional({
    description:
      "The programme's streams: its own, its groups and partners, elections on its groups, the feedback it holds",
    example: 'nwl-wsic',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'programmeId must be a programme id' })
  programmeId?: string;
}

/** The validated query as the log reads it. */
export function auditFilterOf(query: AuditEventsQueryDto): AuditFilter {
  return {
    stream: query.stream,
    category: query.category,
    types: query.type ? new Set(query.type.split(',')) : null,
    occurredFrom: bound(query.occurredFrom, 'from'),
    occurredTo: bound(query.occurredTo, 'to'),
    recordedFrom: bound(query.recordedFrom, 'from'),
    recordedTo: bound(query.recordedTo, 'to'),
    programmeId: query.programmeId,
  };
}

export class AuditEventMetadataDto {
  @ApiPropertyOptional({ description: 'The command that wrote the event' })
  commandId?: string;
  @ApiPropertyOptional({ description: 'The request (or first cause) this event descends from' })
  correlationId?: string;
  @ApiPropertyOptional({ description: 'What caused the command: a request, or an earlier event' })
  causationId?: string;
  @ApiPropertyOptional({ description: 'Who: a role, or `saga:<name>`' })
  actor?: string;
  @ApiPropertyOptional({ description: 'Schema version of `data` as shown' })
  schemaVersion?: number;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Hash of the previous event of the stream, as stored',
  })
  prevHash?: string | null;
}

/** One event of the raw log (`AuditEvent` in @app/projections). */
export class AuditEventDto {
  @ApiProperty({ description: 'Position in $all' })
  position!: number;
  @ApiProperty({ example: 'group-programme-board' })
  stream!: string;
  @ApiProperty({ description: '0-based revision in its stream' })
  revision!: number;
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ example: 'SeatAllocated' })
  type!: string;
  @ApiProperty({ description: 'Schema version of `data` (the current one: old events are upcast)' })
  schemaVersion!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Business time (`data.occurredAt`); null for events without one',
  })
  occurredAt!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the ledger recorded the event' })
  recordedAt!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The event’s data; personal fields of an erased person read `[erased]`',
  })
  data!: Record<string, unknown>;
  @ApiProperty({ type: AuditEventMetadataDto })
  metadata!: AuditEventMetadataDto;
  @ApiProperty({
    pattern: '^[0-9a-f]{64}$',
    description: 'SHA-256 of the event as stored (ledger-event-v1, ADR 0004)',
  })
  hash!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^[0-9a-f]{64}$',
    description: 'Hash of the previous event of the stream; null at revision 0',
  })
  prevHash!: string | null;
}

export class AuditEventsPageDto {
  @ApiProperty({ type: [AuditEventDto] })
  events!: AuditEventDto[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '`fromPosition` of the next page (the next matching event), null at the end',
  })
  next!: number | null;
}
