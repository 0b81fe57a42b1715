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
