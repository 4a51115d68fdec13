/**
 * The one error type of the app. Components throw AppError (or a subclass); the error
 * middleware turns it into an HTML page or an application/problem+json body. `messageKey` is
 * an i18n key shown to the user; `detail` is extra plain text safe to show (never a stack).
 */
export interface FieldError {
  field: string;
  /** i18n key of the message, rendered in the user's language. */
  messageKey: string;
  params?: Record<string, unknown>;
}

export interface AppErrorOptions {
  messageKey?: string;
  params?: Record<string, unknown>;
  detail?: string;
  fieldErrors?: FieldError[];
  cause?: unknown;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageKey: string;
  readonly params: Record<string, unknown>;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldError[];
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, options: AppErrorOptions = {}) {
    super(options.detail ?? code, { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.messageKey = options.messageKey ?? `errors.${code}`;
    this.params = options.params ?? {};
    this.detail = options.detail;
    this.fieldErrors = options.fieldErrors ?? [];
    this.headers = options.headers ?? {};
  }
}

export class BadRequestError extends AppError {
  constructor(options: AppErrorOptions = {}) {
    super(400, 'bad_request', options);
  }
}

export class ValidationError extends AppError {
  constructor(fieldErrors: FieldError[], options: AppErrorOptions = {}) {
    super(422, 'validation', { ...options, fieldErrors });
  }
}

export class UnauthorizedError extends AppError {
  constructor(options: AppErrorOptions = {}) {
    super(401, 'unauthorized', options);
  }
}

export class ForbiddenError extends AppError {
  constructor(options: AppErrorOptions = {}) {
    super(403, 'forbidden', options);
  }
}

export class NotFoundError extends AppError {
  constructor(options: AppErrorOptions = {}) {
    super(404, 'not_found', options);
  }
}

export class ConflictError extends AppError {
  constructor(options: AppErrorOptions = {}) {
    super(409, 'conflict', options);
  }
}

export class GoneError extends AppError {
  constructor(options: AppErrorOptions = {}) {
    super(410, 'gone', options);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(options: AppErrorOptions = {}) {
    super(413, 'payload_too_large', options);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(options: AppErrorOptions = {}) {
    super(429, 'too_many_requests', options);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(options: AppErrorOptions = {}) {
    super(503, 'service_unavailable', { headers: { 'Retry-After': '10' }, ...options });
  }
}

/** Errors thrown by the MongoDB driver or mongoose when the database cannot be reached. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const name = (err as { name?: string }).name ?? '';
  const message = (err as { message?: string }).message ?? '';
  return (
    /^Mongo(Network|NetworkTimeout|ServerSelection|NotConnected|TopologyClosed|PoolCleared)Error$/.test(
      name,
    ) ||
    name === 'MongooseServerSelectionError' ||
    /bufferCommands = false|Client must be connected|connection .* closed|not connected/i.test(
      message,
    ) ||
    // An unordered insert cut off by a lost connection: a bulk write error with no write
    // errors, whose message is the socket's ("read ECONNRESET").
    (name === 'MongoBulkWriteError' && /ECONNRESET|EPIPE|socket hang up/.test(message)) ||
    isDatabaseUnavailable((err as { cause?: unknown }).cause, depth + 1)
  );
}
