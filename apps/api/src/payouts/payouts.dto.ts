import { MAX_BULK_PAYOUTS } from '@coinops/payments';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

/** Why a person decided: 3-1000 characters, kept in the audit row. */
export class PayoutReasonDto {
  @ApiProperty({ minLength: 3, maxLength: 1000, example: 'KYC documents checked by phone' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

/** Support asks for a payout on a creator's behalf. */
export class RequestPayoutDto extends PayoutReasonDto {
  @ApiProperty({ example: 'c_42' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'creator_id must be 1-64 letters, digits, dots, dashes or underscores' })
  creator_id: string;

  @ApiProperty({ description: 'Whole diamonds, as a decimal string', example: '20000' })
  @IsString()
  @Matches(/^[1-9][0-9]{0,15}$/, { message: 'diamonds must be a positive whole number written in decimal digits' })
  diamonds: string;

  @ApiPropertyOptional({ description: "The provider's destination (a Stripe connected account acct_...); the creator's default when absent", maxLength: 100 })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,100}$/, { message: 'method must be 1-100 letters, digits, dots, colons, dashes or underscores' })
  method?: string;

  @ApiPropertyOptional({ description: 'An id of your own, for retries (the same id is the same payout)', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,100}$/, { message: 'payout_id must be 1-100 letters, digits, dots, colons, dashes or underscores' })
  payout_id?: string;
}

export class BulkApprovePayoutsDto extends PayoutReasonDto {
  @ApiProperty({ type: [String], maxItems: MAX_BULK_PAYOUTS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_PAYOUTS)
  @IsUUID('all', { each: true })
  ids: string[];
}
