import { MAX_ACCOUNTS_PER_FREEZE, MAX_BULK_ITEMS, NOTE_MAX_LENGTH, SLA_MINUTES_MAX, SLA_MINUTES_MIN } from '@coinops/reviews';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

/** Why a person decided: 3-1000 characters, kept in the audit row. */
export class ReasonDto {
  @ApiProperty({ minLength: 3, maxLength: 1000, example: 'card used by three new accounts in an hour' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

export class OptionalReasonDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class AssignDto extends OptionalReasonDto {
  @ApiProperty({ description: 'An enabled operator with the role trust_safety or admin' })
  @IsUUID()
  operator_id: string;
}

/** What a reject may do in the same transaction besides voiding the holds. */
export class RejectDto extends ReasonDto {
  @ApiPropertyOptional({ description: "Block the rejected recharges' card fingerprints" })
  @IsOptional()
  @IsBoolean()
  block_card?: boolean;

  @ApiPropertyOptional({ description: "Block the rejected recharges' devices" })
  @IsOptional()
  @IsBoolean()
  block_device?: boolean;

  @ApiPropertyOptional({ description: "Block the rejected recharges' IPs" })
  @IsOptional()
  @IsBoolean()
  block_ip?: boolean;

  @ApiPropertyOptional({ description: 'Freeze the user (no gifting, no cash-out)' })
  @IsOptional()
  @IsBoolean()
  freeze_user?: boolean;
}

export class BulkApproveDto extends ReasonDto {
  @ApiProperty({ type: [String], maxItems: MAX_BULK_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ITEMS)
  @IsUUID('all', { each: true })
  ids: string[];
}

export class BulkRejectDto extends RejectDto {
  @ApiProperty({ type: [String], maxItems: MAX_BULK_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ITEMS)
  @IsUUID('all', { each: true })
  ids: string[];
}

export class SlaMinutesDto {
  @ApiPropertyOptional({ minimum: SLA_MINUTES_MIN, maximum: SLA_MINUTES_MAX })
  @IsOptional()
  @IsInt()
  @Min(SLA_MINUTES_MIN)
  @Max(SLA_MINUTES_MAX)
  low?: number;

  @ApiPropertyOptional({ minimum: SLA_MINUTES_MIN, maximum: SLA_MINUTES_MAX })
  @IsOptional()
  @IsInt()
  @Min(SLA_MINUTES_MIN)
  @Max(SLA_MINUTES_MAX)
  medium?: number;

  @ApiPropertyOptional({ minimum: SLA_MINUTES_MIN, maximum: SLA_MINUTES_MAX })
  @IsOptional()
  @IsInt()
  @Min(SLA_MINUTES_MIN)
  @Max(SLA_MINUTES_MAX)
  high?: number;

  @ApiPropertyOptional({ minimum: SLA_MINUTES_MIN, maximum: SLA_MINUTES_MAX })
  @IsOptional()
  @IsInt()
  @Min(SLA_MINUTES_MIN)
  @Max(SLA_MINUTES_MAX)
  critical?: number;
}

export class UpdateSlaDto extends ReasonDto {
  @ApiProperty({ type: SlaMinutesDto, description: 'Minutes to decide a new item, by severity (items already open keep their due time)' })
  @IsObject()
  @ValidateNested()
  @Type(() => SlaMinutesDto)
  sla_minutes: SlaMinutesDto;
}

export class NoteDto {
  @ApiProperty({ minLength: 1, maxLength: NOTE_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(NOTE_MAX_LENGTH)
  body: string;
}

export class FreezeAccountsDto extends ReasonDto {
  @ApiProperty({ type: [String], maxItems: MAX_ACCOUNTS_PER_FREEZE })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ACCOUNTS_PER_FREEZE)
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { each: true })
  user_ids: string[];
}
