import { REPORT_LIMITS } from '@coinops/payments';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

const INSTRUMENT = /^[A-Za-z0-9_.:@-]{1,128}$/;

export class ReportUnauthorizedActivityDto {
  @ApiProperty({ minLength: 3, maxLength: REPORT_LIMITS.descriptionLength, example: 'User says the three recharges of last night and the gifts to creator c_9 were not them' })
  @IsString()
  @MinLength(3)
  @MaxLength(REPORT_LIMITS.descriptionLength)
  description: string;

  @ApiPropertyOptional({ type: [String], description: "Recharges the user did not make (must be the user's)", maxItems: REPORT_LIMITS.recharges })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REPORT_LIMITS.recharges)
  @IsUUID('all', { each: true })
  recharge_ids?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Gifts the user did not send (must be theirs)', maxItems: REPORT_LIMITS.gifts })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REPORT_LIMITS.gifts)
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { each: true })
  gift_ids?: string[];

  @ApiPropertyOptional({ description: 'When the user says it started (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;
}

export class ConfirmReportDto {
  @ApiProperty({ minLength: 3, maxLength: REPORT_LIMITS.reasonLength })
  @IsString()
  @MinLength(3)
  @MaxLength(REPORT_LIMITS.reasonLength)
  reason: string;

  @ApiPropertyOptional({ type: [String], description: "Recharges whose unspent coins are refunded (default: the report's)" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REPORT_LIMITS.recharges)
  @IsUUID('all', { each: true })
  refund_recharge_ids?: string[];

  @ApiPropertyOptional({ type: [String], description: "The intruder's devices, block-listed" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REPORT_LIMITS.blocks)
  @Matches(INSTRUMENT, { each: true })
  block_devices?: string[];

  @ApiPropertyOptional({ type: [String], description: "The intruder's card fingerprints, block-listed" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REPORT_LIMITS.blocks)
  @Matches(INSTRUMENT, { each: true })
  block_cards?: string[];

  @ApiPropertyOptional({ type: [String], description: "The intruder's IPs, block-listed" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REPORT_LIMITS.blocks)
  @Matches(INSTRUMENT, { each: true })
  block_ips?: string[];
}

export class DismissReportDto {
  @ApiProperty({ minLength: 3, maxLength: REPORT_LIMITS.reasonLength })
  @IsString()
  @MinLength(3)
  @MaxLength(REPORT_LIMITS.reasonLength)
  reason: string;

  @ApiPropertyOptional({ description: 'Unfreeze the user if this report froze them (default true)' })
  @IsOptional()
  @IsBoolean()
  unfreeze?: boolean;
}

export class RecoverReportDto {
  @ApiProperty({ minLength: 3, maxLength: REPORT_LIMITS.reasonLength, example: 'password reset, the new device is blocked' })
  @IsString()
  @MinLength(3)
  @MaxLength(REPORT_LIMITS.reasonLength)
  reason: string;
}
