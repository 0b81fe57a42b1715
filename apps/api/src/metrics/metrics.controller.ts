import { Public } from '@coinops/access';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Metrics } from './metrics';

export const METRICS = Symbol('METRICS');

/** Served at `/metrics` (outside `/api`), for Prometheus on the private network. */
@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: Metrics) {}

  @Get('metrics')
  @Public('Prometheus scrape endpoint; holds no business data')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape() {
    return this.metrics.registry.metrics();
  }
}
