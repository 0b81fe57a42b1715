import { GiftPoster, verificationSummary } from '@coinops/economy';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import type { Metrics } from '../metrics/metrics';
import { METRICS } from '../metrics/metrics.controller';

/**
 * Ledger and gift metrics on the API's /metrics: the hourly verification's last result (the worker
 * records each run in ledger_verify_runs; an alert fires on `coinops_ledger_verify_last_violations > 0`
 * or a stale `..._last_run_timestamp_seconds`), and the gift batcher's counters.
 */
@Injectable()
export class LedgerMetrics implements OnApplicationBootstrap {
  private readonly logger = new Logger(LedgerMetrics.name);

  constructor(
    private readonly moduleRef: ModuleRef,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gifts: GiftPoster,
  ) {}

  onApplicationBootstrap(): void {
    // METRICS belongs to the root module; look it up across modules rather than importing it.
    const metrics = this.moduleRef.get<Metrics>(METRICS, { strict: false });
    if (!metrics) {
      this.logger.warn('no metrics registry: ledger metrics are not exported');
      return;
    }
    const registers = [metrics.registry];
    const dataSource = this.dataSource;
    let summary: Awaited<ReturnType<typeof verificationSummary>> | undefined;
    const refresh = async () => {
      summary = await verificationSummary(dataSource).catch(() => undefined);
    };
    new Gauge({
      name: 'coinops_ledger_verify_last_violations',
      help: 'Invariant violations found by the last scheduled ledger verification (-1: never run)',
      registers,
      async collect() {
        await refresh();
        this.set(summary ? summary.lastViolations : -1);
      },
    });
    new Gauge({
      name: 'coinops_ledger_verify_last_run_timestamp_seconds',
      help: 'When the last scheduled ledger verification ran (0: never)',
      registers,
      collect() {
        this.set(summary ? summary.lastCheckedAtSeconds : 0);
      },
    });
    new Counter({
      name: 'coinops_ledger_verify_failed_runs_total',
      help: 'Scheduled ledger verifications that found violations',
      registers,
      collect() {
        this.reset();
        if (summary?.failedRuns) this.inc(summary.failedRuns);
      },
    });
    const gifts = this.gifts;
    new Counter({
      name: 'coinops_gift_batches_total',
      help: 'Database transactions of gift.sent events (group commit) since the process started',
      registers,
      collect() {
        this.reset();
        this.inc(gifts.stats().batches);
      },
    });
    new Counter({
      name: 'coinops_gift_events_total',
      help: 'gift.sent events answered by this process (posted, refused or replayed)',
      registers,
      collect() {
        this.reset();
        this.inc(gifts.stats().gifts);
      },
    });
  }
}
