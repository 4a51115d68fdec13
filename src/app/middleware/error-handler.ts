import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  AppError,
  BadRequestError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  isDatabaseUnavailable,
} from '../../libraries/errors/app-error.js';
import { translator, defaultLanguage } from '../../libraries/i18n/i18n.js';
import type { Logger } from '../../libraries/logger/logger.js';
import { wantsJson } from './wants-json.js';

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new NotFoundError());
};

/** Maps anything thrown to an AppError; unknown errors become a 500 without details. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isDatabaseUnavailable(err)) return new ServiceUnavailableError({ cause: err });
  const e = err as { type?: string; status?: number; statusCode?: number; code?: string };
  // body-parser and multer errors carry a status or a type.
  if (e?.type === 'entity.too.large' || e?.code === 'LIMIT_FILE_SIZE') {
    return new PayloadTooLargeError({ cause: err });
  }
  // The other limits of multer (src/libraries/web/upload.ts): a plain sentence each, never a 500.
  if (e?.code === 'LIMIT_FIELD_VALUE' || e?.code === 'LIMIT_FIELD_KEY') {
    return new PayloadTooLargeError({ messageKey: 'errors.field_too_long', cause: err });
  }
  if (e?.code === 'LIMIT_FIELD_COUNT' || e?.code === 'LIMIT_PART_COUNT') {
    return new PayloadTooLargeError({ messageKey: 'errors.too_many_fields', cause: err });
  }
  if (e?.code === 'LIMIT_FILE_COUNT' || e?.code === 'LIMIT_UNEXPECTED_FILE') {
    return new BadRequestError({ messageKey: 'errors.unexpected_file', cause: err });
  }
  if (e?.type === 'entity.parse.failed' || e?.type === 'encoding.unsupported') {
    return new BadRequestError({ messageKey: 'errors.malformed_body', cause: err });
  }
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(status, status === 404 ? 'not_found' : 'bad_request', { cause: err });
  }
  return new AppError(500, 'internal', { cause: err });
}

/**
 * The one error middleware: problem+json for API clients, an HTML page for browsers, never a
 * stack trace. Server errors are logged with the request id; client errors at debug level.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    const log = (req as { log?: Logger }).log ?? logger;
    if (appError.status >= 500) {
      log.error({ err: appError.cause ?? appError, code: appError.code }, 'request failed');
    } else {
      log.debug({ code: appError.code, status: appError.status }, 'request refused');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    const t = res.locals.t ?? translator(defaultLanguage);
    // A title for the error code when there is one (e.g. "Formulaire expiré" for csrf), else
    // for the status.
    const title = t(`errors.titles.${appError.code}`, {
      defaultValue: t(`errors.titles.${appError.status}`, {
        defaultValue: t('errors.titles.default'),
      }),
    });
    const message = t(appError.messageKey, {
      ...appError.params,
      defaultValue: t('errors.generic'),
    });
    const fieldErrors = appError.fieldErrors.map((f) => ({
      field: f.field,
      message: t(f.messageKey, f.params ?? {}),
    }));
    for (const [k, v] of Object.entries(appError.headers)) res.setHeader(k, v);
    res.status(appError.status);
    res.setHeader('Cache-Control', 'no-store');
    if (wantsJson(req)) {
      res.type('application/problem+json').send(
        JSON.stringify({
          type: `about:blank#${appError.code}`,
          title,
          status: appError.status,
          detail: message,
          code: appError.code,
          ...(fieldErrors.length ? { errors: fieldErrors } : {}),
          instance: req.originalUrl,
          requestId: res.getHeader('X-Request-Id'),
        }),
      );
      return;
    }
    // An error page never takes the one-time messages meant for the next page.
    res.locals.errorPage = true;
    res.render('errors/error', {
      pageTitle: title,
      status: appError.status,
      title,
      message,
      fieldErrors,
      requestId: res.getHeader('X-Request-Id'),
    });
  };
}
