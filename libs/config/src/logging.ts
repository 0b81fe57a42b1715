import type { Config } from './config';

/** pino settings shared by api and worker: JSON lines in production, one pretty line per entry at a terminal. */
export function pinoBaseOptions(config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>) {
  return {
    level: config.LOG_LEVEL,
    transport:
      config.LOG_FORMAT === 'pretty'
        ? { target: 'pino-pretty', options: { singleLine: true, colorize: true, ignore: 'pid,hostname,req,res' } }
        : undefined,
  };
}
