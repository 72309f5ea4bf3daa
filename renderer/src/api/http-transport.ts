import type { Transport } from '../../../shared/api/contract.ts';
import { apiErrorFromWire } from '../../../shared/api/errors.ts';

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
        throw apiErrorFromWire(body?.error, `HTTP ${response.status}`);
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
