import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * pino JSON logs. Secrets are redacted wherever they could appear (the Authorization header,
 * api keys); request lines never include headers in the first place.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'llm-gateway' },
    redact: {
      // No wildcards: fixed paths keep redaction cheap on every line.
      paths: [
        'authorization',
        'headers.authorization',
        'req.headers.authorization',
        'apiKey',
        'apiKeys',
        'adminApiKeys',
        'config.apiKeys',
        'config.adminApiKeys',
        'metricsApiKey',
        'config.metricsApiKey',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
