import 'reflect-metadata';
import { CONFIG, ConfigError, type Config } from '@coinops/config';
import { createApiApp } from './app.factory';

async function main(): Promise<void> {
  const app = await createApiApp();
  const config = app.get<Config>(CONFIG);
  await app.listen(config.PORT, process.env.HOST ?? '0.0.0.0');
  process.stdout.write(`coinops api listening on http://127.0.0.1:${config.PORT}/api (docs at /api/docs)\n`);
}

main().catch((error) => {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`coinops api failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
