import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

const AMOUNT = /^[1-9][0-9]{0,15}$/;

export class RefundRequestDto {
  @ApiProperty({ description: 'The recharge to refund' })
  @IsUUID()
  recharge_id: string;

  @ApiPropertyOptional({ description: 'Cash to return, minor units of the recharge currency, as a decimal string; the whole part not refunded yet when omitted', example: '499' })
  @IsOptional()
  @IsString()
  @Matches(AMOUNT, { message: 'amount must be a positive whole number of minor units written in decimal digits' })
  amount?: string;

  @ApiProperty({ minLength: 3, maxLength: 1000, example: 'user bought the wrong package' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;

  @ApiPropertyOptional({ description: 'Ask an approver to refund coins the user already spent (always a second operator, with override_reason)' })
  @IsOptional()
  @IsBoolean()
  override_spent_coins?: boolean;
}

export class RefundApproveDto {
  @ApiProperty({ minLength: 3, maxLength: 1000 })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;

  @ApiPropertyOptional({ description: 'Required when the refund returns cash for spent coins (requires_override)', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  override_reason?: string;
}

export class RefundReasonDto {
  @ApiProperty({ minLength: 3, maxLength: 1000 })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

export class RefundRetryDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
