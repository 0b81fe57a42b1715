import { recordAudit, type Actor } from '@coinops/access';
import type { ListQuery } from '@coinops/db';
import { RiskEngine } from '@coinops/risk';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rawPage } from '../listing';
import type { CreateListEntryDto } from './list-entries.dto';
import { fromEngine, LIST_ENTRIES_LIST, listEntriesQuery, toListEntryDto, type ListEntryDto } from './list-entries-list';

const authorOf = (actor: Actor) => actor.email ?? actor.operatorId ?? 'system';

/**
 * Block and allow list entries over HTTP. Each change and its audit row commit together; the engine
 * mirrors the entry into Redis only after that commit, so a rolled-back entry never matches.
 */
@Injectable()
export class ListEntriesService {
  constructor(
    private readonly engine: RiskEngine,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  list(list: ListQuery) {
    return rawPage(listEntriesQuery(this.dataSource), list, LIST_ENTRIES_LIST, toListEntryDto);
  }

  async get(id: string): Promise<ListEntryDto> {
    return fromEngine(await this.engine.getListEntry(id));
  }

  create(actor: Actor, dto: CreateListEntryDto): Promise<ListEntryDto> {
    return this.dataSource.transaction(async (manager) => {
      const entry = fromEngine(
        await this.engine.addListEntry(
          { list: dto.list, kind: dto.kind, value: dto.value, reason: dto.reason, author: authorOf(actor), expiresAt: dto.expires_at ? new Date(dto.expires_at) : null },
          { manager },
        ),
      );
      await recordAudit(manager, actor, { action: 'list_entry.created', entity: 'list_entry', entityId: entry.id, after: entry, reason: dto.reason });
      return entry;
    });
  }

  /** Ends an entry now; the row stays with who removed it and why. */
  remove(actor: Actor, id: string, reason: string): Promise<ListEntryDto> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.get(id);
      const after = fromEngine(await this.engine.removeListEntry(id, { by: authorOf(actor), reason }, { manager }));
      await recordAudit(manager, actor, { action: 'list_entry.removed', entity: 'list_entry', entityId: id, before, after, reason });
      return after;
    });
  }
}
