import { GatewayError } from '../../errors.js';

/**
 * Anything node-llama-cpp throws → GatewayError. llama.cpp messages can carry file paths and
 * native details, so they stay on `cause` (for logs) and the client gets `message`.
 */
export function engineError(error: unknown, message: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'AbortError') {
    return new GatewayError('CANCELLED', 'Request cancelled', {
      upstream: 'embedded',
      cause: error,
    });
  }
  if (name === 'InsufficientMemoryError') {
    return new GatewayError('OVERLOADED', `${message}: not enough memory`, {
      upstream: 'embedded',
      retryAfterSeconds: 30,
      cause: error,
    });
  }
  return new GatewayError('UPSTREAM_ERROR', message, { upstream: 'embedded', cause: error });
}
