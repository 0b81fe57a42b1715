import { AuthGuard, AuthService, OperatorsService } from '@coinops/access';
import { CONFIG, type Config } from '@coinops/config';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { AuthController } from './auth.controller';

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: Config) => [{ name: 'login', ttl: 60_000, limit: config.LOGIN_RATE_PER_MINUTE }],
    }),
  ],
  controllers: [AuthController],
  providers: [
    { provide: AuthService, inject: [DataSource, CONFIG], useFactory: (ds: DataSource, config: Config) => new AuthService(ds, config) },
    { provide: OperatorsService, inject: [DataSource], useFactory: (ds: DataSource) => new OperatorsService(ds) },
    { provide: APP_GUARD, inject: [Reflector, AuthService], useFactory: (reflector: Reflector, auth: AuthService) => new AuthGuard(reflector, auth) },
  ],
  exports: [AuthService, OperatorsService],
})
export class AuthModule {}
