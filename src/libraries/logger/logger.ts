import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths that may carry secrets. Request bodies are never logged at all; these cover headers
 * and any object a caller logs by mistake.
 */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.secret',
  '*.privateKey',
  '*.masterKey',
];

export function createLogger(
  options: { level: string; name?: string },
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'coop-badges',
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: undefined,
    },
    destination,
  );
}
