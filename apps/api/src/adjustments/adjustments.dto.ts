import { ADJUSTMENT_DIRECTIONS, ADJUSTMENT_REASON_CODES, ADJUSTMENT_TARGETS, type AdjustmentDirection, type AdjustmentReasonCode, type AdjustmentTarget } from '@coinops/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class AdjustmentRequestDto {
  @ApiProperty({ enum: ADJUSTMENT_TARGETS, description: "user: the user's coins; creator: the creator's diamonds" })
  @IsIn(ADJUSTMENT_TARGETS)
  target: AdjustmentTarget;

  @ApiProperty({ example: 'u_42' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'target_id must be 1-64 letters, digits, dots, dashes or underscores' })
  target_id: string;

  @ApiProperty({ enum: ADJUSTMENT_DIRECTIONS })
  @IsIn(ADJUSTMENT_DIRECTIONS)
  direction: AdjustmentDirection;

  @ApiProperty({ description: 'Coins or diamonds, a positive whole number as a decimal string', example: '100' })
  @IsString()
  @Matches(/^[1-9][0-9]{0,15}$/, { message: 'amount must be a positive whole number written in decimal digits' })
  amount: string;

  @ApiProperty({ enum: ADJUSTMENT_REASON_CODES })
  @IsIn(ADJUSTMENT_REASON_CODES)
  reason_code: AdjustmentReasonCode;

  @ApiProperty({ minLength: 3, maxLength: 1000, example: 'gift lost in the 2026-11-27 outage' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  note: string;
}

export class AdjustmentReasonDto {
  @ApiProperty({ minLength: 3, maxLength: 1000 })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}
