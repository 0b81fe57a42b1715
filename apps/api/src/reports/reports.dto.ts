import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

export class RunReconciliationDto {
  @ApiProperty({ example: '2026-11-27', description: 'The UTC day to reconcile' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a day as YYYY-MM-DD' })
  date!: string;

  @ApiPropertyOptional({ example: 'stripe', description: 'One provider (default: every provider that sent an event)' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'must be a provider name such as stripe' })
  provider?: string;
}
