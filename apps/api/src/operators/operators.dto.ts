import { ROLES, type Role } from '@coinops/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class CreateOperatorDto {
  @ApiProperty({ example: 'new.analyst@coinops.dev' })
  @IsString()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'New Analyst' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({ minLength: 12, maxLength: 256 })
  @IsString()
  @MaxLength(256)
  password: string;
}

export class UpdateOperatorDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ description: 'Why, recorded in the audit log' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class ResetPasswordDto {
  @ApiProperty({ minLength: 12, maxLength: 256 })
  @IsString()
  @MaxLength(256)
  password: string;

  @ApiProperty({ description: 'Why, recorded in the audit log' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

export class ResetTotpDto {
  @ApiProperty({ description: 'Why, recorded in the audit log' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}
