import { fetchUtils, HttpError } from 'react-admin';

export type HttpClient = (url: string, options?: fetchUtils.Options) => ReturnType<typeof fetchUtils.fetchJson>;

interface ErrorBodyWithDetails {
  message?: string;
  details?: { field: string; message: string }[];
}

/**
 * Our error body lists field errors as `details: [{field, message}]` (DESIGN §7); react-admin shows
 * server-side validation next to the inputs when the body has `errors: {field: message}`.
 */
function withFieldErrors(error: unknown): unknown {
  if (!(error instanceof HttpError)) return error;
  const body = error.body as ErrorBodyWithDetails | undefined;
  if (!body?.details?.length) return error;
  const errors = Object.fromEntries(body.details.slice(0, 50).map((d) => [d.field, d.message]));
  return new HttpError(error.message, error.status, { ...body, errors });
}

/** `fetchUtils.fetchJson` plus `Authorization: Bearer <token>` when someone is signed in. */
export function createHttpClient(getToken: () => string | null): HttpClient {
  return async (url, options = {}) => {
    const headers = new Headers(options.headers ?? { Accept: 'application/json' });
    const token = getToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    try {
      return await fetchUtils.fetchJson(url, { ...options, headers });
    } catch (error) {
      throw withFieldErrors(error);
    }
  };
}
