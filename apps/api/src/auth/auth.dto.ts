import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'ts@coinops.dev' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'coinops-demo' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class MfaDto {
  @ApiProperty({ description: 'The mfa_token from the login answer' })
  @IsString()
  @MinLength(10)
  @MaxLength(4096)
  mfa_token: string;

  @ApiProperty({ example: '123456', description: 'The current 6-digit code of the authenticator app' })
  @IsString()
  @MaxLength(16)
  code: string;
}

export class TotpCodeDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @MaxLength(16)
  code: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  current_password: string;

  @ApiProperty({ minLength: 12, maxLength: 256, description: 'At least PASSWORD_MIN_LENGTH characters, not on the breached-password list' })
  @IsString()
  @MaxLength(256)
  new_password: string;
}
