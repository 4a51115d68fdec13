import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../../libraries/logger/logger.js';
import { requestId } from './request-id.js';

/** One log line per request: method, path (one-time tokens redacted), status. */
export function requestLog(logger: Logger, redactPath: (path: string) => string): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: requestId,
    // Never log bodies, query strings, headers or one-time link tokens: method and path only.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: redactPath(req.url.split('?')[0] ?? ''),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
  });
}
