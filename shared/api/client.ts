import type { Transport, WorkstationApi } from './contract.ts';
import { ApiError, invalidRequestMessage } from './errors.ts';
import { API_METHODS, apiEventSchema } from './schemas.ts';
import type { ApiMethod } from './schemas.ts';

/**
 * The typed API over any transport. Requests are checked before they leave and responses when they
 * arrive, so a transport bug shows up as a clear error, not as bad data on screen.
 */
export function createApiClient(transport: Transport): WorkstationApi {
  const api: Partial<Record<ApiMethod, (request: unknown) => Promise<unknown>>> = {};
  for (const method of Object.keys(API_METHODS) as ApiMethod[]) {
    const schemas = API_METHODS[method];
    api[method] = async (request: unknown) => {
      const checked = schemas.request.safeParse(request);
      if (!checked.success) {
        throw new ApiError('bad-request', invalidRequestMessage(method, checked.error.issues), checked.error.issues);
      }
      const response = await transport.invoke(method, checked.data);
      const parsed = schemas.response.safeParse(response);
      if (!parsed.success) {
        throw new ApiError('internal', `invalid ${method} response`, parsed.error.issues);
      }
      return parsed.data;
    };
  }
  return {
    ...(api as Omit<WorkstationApi, 'subscribe'>),
    subscribe: (listener) =>
      transport.subscribe((event) => {
        const parsed = apiEventSchema.safeParse(event);
        if (parsed.success) {
          listener(parsed.data);
        }
      }),
  };
}
