/** Why one upstream call ended, recorded as it happens so errors are typed without parsing messages. */
export interface CallOutcome {
  cancelled: boolean;
  timedOut: boolean;
  headersReceived: boolean;
  status?: number;
  retryAfterSeconds?: number;
  /** A non-2xx answer carried Ollama's `{"error": …}` body: Ollama itself answered the request. */
  errorBody?: boolean;
  /** The message of an `{"error": …}` line inside a 200 stream. */
  errorLine?: string;
  /** The first line that was not JSON. */
  malformedLine?: string;
  /** A `done: true` (or `status: success`) line arrived: the rest of the body is only its end. */
  sawDone?: boolean;
}
