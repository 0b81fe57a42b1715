import { Public } from '@coinops/access';
import { Controller, Get, HttpException, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../infrastructure/database.module';
import { withTimeout } from '../infrastructure/timeout';

const CHECK_TIMEOUT_MS = 2_000;


@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  @Public('liveness probe')
  live() {
    return { status: 'ok' };
  }

  /** Readiness: PostgreSQL and Redis both answer; 503 naming the one that does not. */
  @Get('ready')
  @Public('readiness probe')
  async ready() {
    const [postgres, redis] = await Promise.all([
      withTimeout(this.dataSource.query('SELECT 1'), CHECK_TIMEOUT_MS).then(() => 'ok', (e: Error) => `down: ${e.message}`),
      withTimeout(this.redis.ping(), CHECK_TIMEOUT_MS).then(() => 'ok', (e: Error) => `down: ${e.message}`),
    ]);
    const body = { status: postgres === 'ok' && redis === 'ok' ? 'ok' : 'unavailable', checks: { postgres, redis } };
    if (body.status !== 'ok') {
      throw new HttpException({ statusCode: 503, error: 'Service Unavailable', message: `not ready: ${JSON.stringify(body.checks)}`, ...body }, 503);
    }
    return body;
  }
}
