import 'reflect-metadata';
import { ConfigError } from '@coinops/config';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { abortOnError: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  process.stdout.write('coinops worker running: outbox relayer and BullMQ processors\n');
}

main().catch((error) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `coinops worker failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
