import { LIST_KINDS, LIST_NAMES, type ListKind, type ListName } from '@coinops/risk';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class CreateListEntryDto {
  @ApiProperty({ enum: LIST_NAMES })
  @IsIn(LIST_NAMES)
  list: ListName;

  @ApiProperty({ enum: LIST_KINDS })
  @IsIn(LIST_KINDS)
  kind: ListKind;

  @ApiProperty({ example: 'fp_1a2b3c', description: 'Normalised: email domains lower case without @, countries upper case' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  value: string;

  @ApiProperty({ description: 'Why, kept with the entry and in the audit log' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;

  @ApiPropertyOptional({ example: '2026-06-01T00:00:00Z', description: 'The entry stops matching at this time; none = until removed' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;
}

export class RemoveListEntryDto {
  @ApiProperty({ description: 'Why, kept with the entry and in the audit log' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}
