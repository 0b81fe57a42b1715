import { Global, Module } from '@nestjs/common';
import { Config, loadConfig } from './config';

/** Injection token of the validated configuration. */
export const CONFIG = Symbol('CONFIG');

/** Validates the environment once, at start-up, and provides the typed result to everything. */
@Global()
@Module({
  providers: [{ provide: CONFIG, useFactory: (): Config => loadConfig() }],
  exports: [CONFIG],
})
export class ConfigModule {}
