import 'reflect-metadata';
import { ConfigError } from '@coinops/config';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { abortOnError: false, logger: ['error', 'warn', 'log'] });
  app.enableShutdownHooks();
  process.stdout.write('coinops worker running: outbox relayer and BullMQ processors\n');
}

main().catch((error) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `coinops worker failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
