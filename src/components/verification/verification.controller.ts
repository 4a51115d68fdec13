import { API_FILE_FIELD, FILE_FIELD, singleFileUpload } from '../../libraries/web/upload.js';
import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import type { Config } from '../../libraries/config/config.js';
import {
  AppError,
  BadRequestError,
  PayloadTooLargeError,
  ValidationError,
  type FieldError,
} from '../../libraries/errors/app-error.js';
import { formErrors } from '../../libraries/web/forms.js';
import { openApiDocument } from './openapi.js';
import {
  VerificationInputError,
  parseHttpUrl,
  type VerificationInput,
  type VerificationOutcome,
  type VerificationService,
} from './verification.use-case.js';
import { verificationApiResult, verificationViewModel } from './verification-view-model.js';
import { str } from '../../libraries/http/params.js';

const MB = 1024 * 1024;
const MAX_URL_LENGTH = 2048;
const MAX_TEXT_BYTES = MB;
const WAYS = ['url', 'file', 'text'] as const;
type Way = (typeof WAYS)[number];

/**
 * An address typed without its scheme ("badges.exemple.fr/assertions/1") is taken as https,
 * as browsers do; anything else must be a complete http(s) URL.
 */
export function normaliseTypedUrl(value: string): string | undefined {
  const text = value.trim();
  if (text.length === 0 || text.length > MAX_URL_LENGTH) return undefined;
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(\/\S*)?$/i.test(text))
    return parseHttpUrl(`https://${text}`);
  return parseHttpUrl(text);
}

/** Which message explains why a URL we will not fetch was refused. */
function urlError(value: string): string {
  try {
    const u = new URL(value.trim());
    if (u.username || u.password) return 'verify.form.errors.urlCredentials';
  } catch {
    // not a URL at all
  }
  return 'verify.form.errors.urlInvalid';
}

/** Optional email: '' → undefined, a plausible address → itself, else an error. */
function checkEmail(value: string): { email?: string; invalid?: boolean } {
  const email = value.trim();
  if (email === '') return {};
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { invalid: true };
  return { email };
}

/** A non-http scheme or credentials (`file:///…`, `javascript:…`): we never fetch those. */
function looksLikeOtherUrl(text: string): boolean {
  const t = text.trim();
  return /^[a-z][a-z0-9+.-]*:\S*$/i.test(t) && !/^https?:\/\//i.test(t) && !t.startsWith('{');
}

/** multer, in memory only (nothing uploaded touches the disk), with our limits. */
function uploadParser(config: Config, mode: 'page' | 'api'): RequestHandler {
  const upload = singleFileUpload(
    {
      fileSize: Math.floor(config.VERIFY_MAX_UPLOAD_MB * MB),
      fields: 8,
      fieldSize: MAX_TEXT_BYTES,
    },
    mode === 'page' ? FILE_FIELD : API_FILE_FIELD,
  );
  return (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      const code = (err as { code?: string }).code ?? '';
      const error = /^LIMIT_(FILE_SIZE|FIELD_VALUE|PART_COUNT|FIELD_COUNT|FILE_COUNT)$/.test(code)
        ? new PayloadTooLargeError({
            messageKey: 'verify.form.errors.tooLarge',
            params: { mb: config.VERIFY_MAX_UPLOAD_MB },
            fieldErrors: [
              {
                field: FILE_FIELD,
                messageKey: 'verify.form.errors.tooLarge',
                params: { mb: config.VERIFY_MAX_UPLOAD_MB },
              },
            ],
            cause: err,
          })
        : new BadRequestError({ messageKey: 'verify.form.errors.badUpload', cause: err });
      // The page shows the form again with the message; the API answers problem+json.
      if (mode === 'page') {
        res.locals.uploadError = error;
        return next();
      }
      next(error);
    });
  };
}

/** Lets the result page show the badge image of another site (and only that one). */
function allowImageFrom(res: Response, image: string | undefined): void {
  if (!image || !/^https?:/i.test(image)) return;
  const csp = res.getHeader('Content-Security-Policy');
  if (typeof csp !== 'string') return;
  const origin = new URL(image).origin;
  res.setHeader(
    'Content-Security-Policy',
    csp.replace(/img-src ([^;]*)/, (_m, sources: string) => `img-src ${sources} ${origin}`),
  );
}

export function verificationController(deps: { service: VerificationService; config: Config }) {
  const { service, config } = deps;
  const t = (res: Response) => res.locals.t as TFunction;

  interface FormState {
    values?: Record<string, string>;
    fieldErrors?: FieldError[];
    status?: number;
    /** Which way the person tried (its section is shown open). */
    way?: Way;
  }

  function renderForm(res: Response, state: FormState = {}) {
    const errors = state.fieldErrors?.length ? formErrors(t(res), state.fieldErrors) : undefined;
    const title = t(res)('verify.form.title');
    res.status(state.status ?? 200).render('verification/form', {
      pageTitle: errors ? `${t(res)('forms.errorTitlePrefix')} ${title}` : title,
      navCurrent: 'verify',
      values: state.values ?? {},
      errors,
      textOpen: state.way === 'text',
      maxUploadMb: config.VERIFY_MAX_UPLOAD_MB,
    });
  }

  function renderResult(res: Response, outcome: VerificationOutcome) {
    const result = verificationViewModel(outcome, {
      t: t(res),
      lang: res.locals.lang as string,
      publicUrl: config.PUBLIC_URL,
    });
    allowImageFrom(res, result.badge?.image);
    res.render('verification/result', {
      pageTitle: `${result.verdictLabel} – ${t(res)('verify.result.title')}`,
      navCurrent: 'verify',
      result,
    });
  }

  /** GET /verifier: the form, or (with ?url=) the live result for that address. */
  const page: RequestHandler = async (req, res) => {
    const raw = str(req.query.url);
    if (raw === '') return renderForm(res);
    const url = normaliseTypedUrl(raw);
    if (!url) {
      return renderForm(res, {
        status: 422,
        way: 'url',
        values: { url: raw },
        fieldErrors: [{ field: 'url', messageKey: urlError(raw) }],
      });
    }
    // The language switch keeps showing this result.
    res.locals.languageQuery = `url=${encodeURIComponent(url)}&`;
    renderResult(res, await service.verify({ way: 'url', url }));
  };

  /** POST /verifier: one of the three forms (plus the result page's recipient check). */
  const submit: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const way: Way = (WAYS as readonly string[]).includes(str(body.way))
      ? (str(body.way) as Way)
      : 'url';
    const values = { url: str(body.url), text: str(body.text), [`email-${way}`]: str(body.email) };
    const fieldErrors: FieldError[] = [];
    const uploadError = res.locals.uploadError as AppError | undefined;
    if (uploadError) {
      return renderForm(res, {
        status: uploadError.status,
        way,
        values,
        fieldErrors: uploadError.fieldErrors.length
          ? uploadError.fieldErrors
          : [{ field: FILE_FIELD, messageKey: uploadError.messageKey }],
      });
    }
    let input: VerificationInput | undefined;
    if (way === 'url') {
      const url = normaliseTypedUrl(values.url!);
      if (values.url!.trim() === '') {
        fieldErrors.push({ field: 'url', messageKey: 'verify.form.errors.urlMissing' });
      } else if (!url) {
        fieldErrors.push({ field: 'url', messageKey: urlError(values.url!) });
      } else input = { way: 'url', url };
    } else if (way === 'text') {
      if (values.text!.trim() === '') {
        fieldErrors.push({ field: 'text', messageKey: 'verify.form.errors.textMissing' });
      } else if (looksLikeOtherUrl(values.text!)) {
        fieldErrors.push({ field: 'text', messageKey: urlError(values.text!) });
      } else input = { way: 'text', text: values.text! };
    } else {
      const file = (req as Request & { file?: { buffer: Buffer } }).file;
      if (!file || file.buffer.length === 0) {
        fieldErrors.push({ field: FILE_FIELD, messageKey: 'verify.form.errors.fileMissing' });
      } else input = { way: 'file', bytes: new Uint8Array(file.buffer) };
    }
    const checked = checkEmail(str(body.email));
    if (checked.invalid) {
      fieldErrors.push({ field: `email-${way}`, messageKey: 'verify.form.errors.emailInvalid' });
    }
    if (fieldErrors.length > 0 || !input) {
      return renderForm(res, { status: 422, way, values, fieldErrors });
    }
    try {
      renderResult(
        res,
        await service.verify(input, checked.email ? { expectedEmail: checked.email } : {}),
      );
    } catch (err) {
      if (!(err instanceof VerificationInputError)) throw err;
      renderForm(res, { status: err.status, way, values, fieldErrors: err.fieldErrors });
    }
  };

  function sendResult(res: Response, outcome: VerificationOutcome) {
    res.setHeader('Cache-Control', 'no-store');
    res.json(verificationApiResult(outcome, { t: t(res), lang: res.locals.lang as string }));
  }

  function apiEmail(value: unknown): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    const checked = checkEmail(typeof value === 'string' ? value : '');
    if (checked.invalid || typeof value !== 'string') {
      throw new ValidationError([
        { field: 'email', messageKey: 'verify.form.errors.emailInvalid' },
      ]);
    }
    return checked.email;
  }

  /** GET /api/v1/verify?url=…&email=… */
  const apiGet: RequestHandler = async (req, res) => {
    const raw = str(req.query.url);
    if (raw.trim() === '') {
      throw new ValidationError([{ field: 'url', messageKey: 'verify.form.errors.urlMissing' }]);
    }
    const url = parseHttpUrl(raw);
    if (!url || raw.length > MAX_URL_LENGTH) {
      throw new ValidationError([{ field: 'url', messageKey: urlError(raw) }]);
    }
    const email = apiEmail(req.query.email);
    sendResult(
      res,
      await service.verify({ way: 'url', url }, email ? { expectedEmail: email } : {}),
    );
  };

  /** POST /api/v1/verify: JSON {input, email} or multipart file (+ email). */
  const apiPost: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    let input: VerificationInput;
    if (req.is('multipart/form-data')) {
      const file = (req as Request & { file?: { buffer: Buffer } }).file;
      if (file && typeof body.input === 'string' && body.input !== '') {
        throw new ValidationError([{ field: 'input', messageKey: 'verify.form.errors.oneInput' }]);
      }
      if (file) {
        if (file.buffer.length === 0) {
          throw new ValidationError([
            { field: 'file', messageKey: 'verify.form.errors.fileMissing' },
          ]);
        }
        input = { way: 'file', bytes: new Uint8Array(file.buffer) };
      } else input = textInput(body.input);
    } else if (
      req.is('application/json') ||
      req.is('application/*+json') ||
      req.is('application/x-www-form-urlencoded')
    ) {
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
        throw new BadRequestError({ messageKey: 'errors.malformed_body' });
      }
      input = textInput(body.input);
    } else {
      throw new AppError(415, 'unsupported_media_type', {
        messageKey: 'verify.api.unsupportedType',
      });
    }
    const email = apiEmail(body.email);
    try {
      sendResult(res, await service.verify(input, email ? { expectedEmail: email } : {}));
    } catch (err) {
      if (err instanceof VerificationInputError) {
        throw new AppError(err.status, err.code, {
          messageKey: err.messageKey,
          fieldErrors: err.fieldErrors,
          cause: err,
        });
      }
      throw err;
    }
  };

  function textInput(value: unknown): VerificationInput {
    // A credential or assertion posted as a JSON object rather than as text.
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { way: 'text', text: JSON.stringify(value) };
    }
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ValidationError([{ field: 'input', messageKey: 'verify.api.inputMissing' }]);
    }
    const url = /^https?:\/\//i.test(value.trim()) ? parseHttpUrl(value) : undefined;
    if (url) return { way: 'url', url };
    if (looksLikeOtherUrl(value) || /^https?:\/\//i.test(value.trim())) {
      throw new ValidationError([{ field: 'input', messageKey: urlError(value) }]);
    }
    return { way: 'text', text: value };
  }

  const openApi: RequestHandler = (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(
      openApiDocument({ publicUrl: config.PUBLIC_URL, maxUploadMb: config.VERIFY_MAX_UPLOAD_MB }),
    );
  };

  return {
    page,
    submit,
    apiGet,
    apiPost,
    openApi,
    pageUpload: uploadParser(config, 'page'),
    apiUpload: uploadParser(config, 'api'),
  };
}
