import type { Transport } from '../../../shared/api/contract.ts';
import { ApiError, API_ERROR_CODES } from '../../../shared/api/errors.ts';
import type { ApiErrorCode } from '../../../shared/api/errors.ts';

/**
 * The browser host's transport: same-origin POSTs to /api/<method>, events from /api/events. The
 * session cookie (set when the page was opened with its token) authenticates both.
 */
export function createHttpTransport(base = '/api/'): Transport {
  return {
    async invoke(method, request) {
      const response = await fetch(`${base}${method}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      });
      const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null;
      if (!response.ok) {
        const code = (API_ERROR_CODES as readonly string[]).includes(body?.error?.code ?? '') ? (body?.error?.code as ApiErrorCode) : 'internal';
        throw new ApiError(code, body?.error?.message ?? `HTTP ${response.status}`, body?.error?.details);
      }
      return body;
    },
    subscribe(listener) {
      const source = new EventSource(`${base}events`, { withCredentials: true });
      source.onmessage = (message: MessageEvent<string>) => {
        try {
          listener(JSON.parse(message.data));
        } catch {
          // A malformed event is dropped; the client validates the rest.
        }
      };
      return () => source.close();
    },
  };
}
