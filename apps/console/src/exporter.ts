import type { Exporter } from 'react-admin';
import { createSessionStore } from './session';

/** The list's query as the API takes it (ra-data-simple-rest names). */
export interface ExportQuery {
  filter?: Record<string, unknown>;
  sort?: [string, 'ASC' | 'DESC'];
}

interface StoredListParams {
  filter?: Record<string, unknown>;
  sort?: string;
  order?: string;
}

/**
 * What the list shows: react-admin keeps the current filter and sort in the URL after a change, and in
 * its store (localStorage, `RaStore.<resource>.listParams`) so it comes back to them; before the operator
 * changes anything, the list's own defaults apply.
 */
export function currentListQuery(resource: string, defaults: ExportQuery, location: Pick<Location, 'hash'> = window.location, storage: Storage = window.localStorage): ExportQuery {
  const fromUrl = paramsFromHash(location.hash, resource);
  const fromStore = fromUrl ?? readJson<StoredListParams>(storage.getItem(`RaStore.${resource}.listParams`));
  const filter = fromStore?.filter ?? defaults.filter;
  const sort = fromStore?.sort ? ([fromStore.sort, fromStore.order === 'ASC' ? 'ASC' : 'DESC'] as ExportQuery['sort']) : defaults.sort;
  return { filter, sort };
}

function paramsFromHash(hash: string, resource: string): StoredListParams | null {
  const [path, search] = hash.replace(/^#/, '').split('?');
  if (path !== `/${resource}` || !search) return null;
  const query = new URLSearchParams(search);
  if (!query.has('filter') && !query.has('sort')) return null;
  return { filter: readJson(query.get('filter')) ?? undefined, sort: query.get('sort') ?? undefined, order: query.get('order') ?? undefined };
}

function readJson<T>(raw: string | null): T | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/** `GET /api/exports/<resource>?filter=…&sort=…`: the API streams every matching row (docs/reporting.md). */
export function exportUrl(resource: string, query: ExportQuery, apiUrl = '/api'): string {
  const params = new URLSearchParams();
  if (query.filter && Object.keys(query.filter).length) params.set('filter', JSON.stringify(query.filter));
  if (query.sort) params.set('sort', JSON.stringify(query.sort));
  const search = params.toString();
  return `${apiUrl}/exports/${encodeURIComponent(resource)}${search ? `?${search}` : ''}`;
}

/**
 * react-admin's exporter for our lists: instead of turning the first page it fetched into CSV in the
 * browser, it asks the API for the whole list as CSV (same filter, sort and roles) with the operator's
 * token, and saves the answer as a file. `<List exporter={serverExporter({ sort: ['created_at', 'DESC'] })}>`
 */
export function serverExporter(defaults: ExportQuery = {}): Exporter {
  return async (_firstPage, _fetchRelated, _dataProvider, resource) => {
    if (!resource) throw new Error('export: no resource');
    const token = createSessionStore().read()?.token;
    const response = await fetch(exportUrl(resource, currentListQuery(resource, defaults)), {
      headers: { Accept: 'text/csv', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { message?: string } | null;
      throw new Error(body?.message ?? `export failed: HTTP ${response.status}`);
    }
    const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? `${resource}.csv`;
    saveBlob(await response.blob(), name);
  };
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: some browsers start the download only after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
