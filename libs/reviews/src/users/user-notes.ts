import { recordAudit, type Actor } from '@coinops/access';
import { ValidationFailed } from '@coinops/contracts';
import { rawPage, type ListQuery, type ListSpec } from '@coinops/db';
import type { DataSource } from 'typeorm';

/** A note on a user, seen by every operator; notes are never edited or deleted (a correction is a new note). */
export interface UserNoteDto {
  id: string;
  user_id: string;
  body: string;
  author_id: string | null;
  author_email: string | null;
  created_at: string;
}

export const NOTE_MAX_LENGTH = 2_000;

export const USER_NOTES_LIST: ListSpec = {
  resource: 'notes',
  sortable: { id: 'n.id', created_at: 'n.id' },
  filters: { author_id: { column: 'n.author_id', type: 'uuid' } },
  search: ['n.body'],
  defaultSort: ['id', 'DESC'],
  idColumn: 'n.id',
  maxPageSize: 100,
};

interface NoteRow {
  id: string;
  user_id: string;
  body: string;
  author_id: string | null;
  author_email: string | null;
  created_at: Date;
}

const toDto = (row: NoteRow): UserNoteDto => ({ ...row, id: String(row.id), created_at: new Date(row.created_at).toISOString() });

export function listUserNotes(dataSource: DataSource, userId: string, list: ListQuery): Promise<{ rows: UserNoteDto[]; total: number }> {
  const qb = dataSource
    .createQueryBuilder()
    .select(['n.id AS id', 'n.user_id AS user_id', 'n.body AS body', 'n.author_id AS author_id', 'n.author_email AS author_email', 'n.created_at AS created_at'])
    .from('user_notes', 'n')
    .where('n.user_id = :userId', { userId });
  return rawPage(qb, list, USER_NOTES_LIST, toDto);
}

/** Adds a note and its audit row in one transaction. The user need not be known yet (a note may come first). */
export async function addUserNote(dataSource: DataSource, actor: Actor, userId: string, body: string): Promise<UserNoteDto> {
  const text = typeof body === 'string' ? body.trim() : '';
  if (text.length < 1 || text.length > NOTE_MAX_LENGTH) throw ValidationFailed.field('body', `must be 1-${NOTE_MAX_LENGTH} characters`);
  return dataSource.transaction(async (manager) => {
    const [row]: NoteRow[] = await manager.query(
      `INSERT INTO user_notes (user_id, body, author_id, author_email) VALUES ($1, $2, $3, $4) RETURNING id, user_id, body, author_id, author_email, created_at`,
      [userId, text, actor.operatorId, actor.email?.slice(0, 254) ?? null],
    );
    await recordAudit(manager, actor, { action: 'user.note_added', entity: 'user', entityId: userId, after: { note_id: String(row.id), body: text } });
    return toDto(row);
  });
}
