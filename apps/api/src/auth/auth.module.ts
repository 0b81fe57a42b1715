import { AuthGuard, AuthService, MfaService, OperatorsService } from '@coinops/access';
import { CONFIG, type Config } from '@coinops/config';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { AuthController } from './auth.controller';
import { SharedThrottlerStorage } from './shared-throttler-storage';

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: Config) => ({
        throttlers: [{ name: 'login', ttl: 60_000, limit: config.LOGIN_RATE_PER_MINUTE }],
        storage: new SharedThrottlerStorage(config.REDIS_URL, config.QUEUE_PREFIX),
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    { provide: AuthService, inject: [DataSource, CONFIG], useFactory: (ds: DataSource, config: Config) => new AuthService(ds, config) },
    { provide: OperatorsService, inject: [DataSource, CONFIG], useFactory: (ds: DataSource, config: Config) => new OperatorsService(ds, config.PASSWORD_MIN_LENGTH) },
    { provide: MfaService, inject: [DataSource, AuthService], useFactory: (ds: DataSource, auth: AuthService) => new MfaService(ds, auth) },
    { provide: APP_GUARD, inject: [Reflector, AuthService], useFactory: (reflector: Reflector, auth: AuthService) => new AuthGuard(reflector, auth) },
  ],
  exports: [AuthService, OperatorsService, MfaService],
})
export class AuthModule {}
