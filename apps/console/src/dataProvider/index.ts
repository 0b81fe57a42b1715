import type { DataProvider, Identifier } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';
import { createSessionStore, type SessionStore } from '../session';
import { createHttpClient } from './httpClient';

export interface ResetPasswordParams {
  password: string;
  reason: string;
}

/** The stock simple-rest provider plus the commands that are not CRUD (`POST /api/<resource>/<id>/<verb>`). */
export interface CoinopsDataProvider extends DataProvider {
  resetPassword(id: Identifier, params: ResetPasswordParams): Promise<void>;
}

export interface DataProviderOptions {
  apiUrl?: string;
  sessions?: SessionStore;
}

export function createDataProvider({
  apiUrl = '/api',
  sessions = createSessionStore(),
}: DataProviderOptions = {}): CoinopsDataProvider {
  const httpClient = createHttpClient(() => sessions.read()?.token ?? null);
  return {
    ...simpleRestProvider(apiUrl, httpClient),
    async resetPassword(id, { password, reason }) {
      await httpClient(`${apiUrl}/operators/${encodeURIComponent(String(id))}/reset-password`, {
        method: 'POST',
        body: JSON.stringify({ password, reason }),
      });
    },
  };
}

export const dataProvider = createDataProvider();
