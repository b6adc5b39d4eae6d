import type { EventStreamFormat } from '../http/trpc/stream.js';
import { restErrorBody, sendRestError } from './errors.js';

/**
 * The REST front's event streams: `data: <event JSON>` per event (tRPC's event without its
 * tracked id), generations ending with their `done` event; a failure after the first event is
 * `event: error` with the REST error body, one before it an ordinary REST error answer.
 */
export const REST_EVENT_STREAM: EventStreamFormat = {
  ids: false,
  errorData: restErrorBody,
  refuse: (res, failed) => sendRestError(res, failed.shape),
};
