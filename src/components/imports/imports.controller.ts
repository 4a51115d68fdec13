import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import type { Config } from '../../libraries/config/config.js';
import { NotFoundError, type FieldError } from '../../libraries/errors/app-error.js';
import { param, str } from '../../libraries/http/params.js';
import { formErrors } from '../../libraries/web/forms.js';
import { singleFileUpload } from '../../libraries/web/upload.js';
import { flash } from '../accounts/accounts.middleware.js';
import { verificationViewModel } from '../verification/verification-view-model.js';
import {
  VerificationInputError,
  parseHttpUrl,
  type VerificationInput,
  type VerificationOutcome,
} from '../verification/verification.use-case.js';
import {
  AlreadyImportedError,
  ImportRefusedError,
  importedImagePath,
  type ImportsUseCases,
  type LiveImportedBadge,
} from './imports.use-case.js';

const MB = 1024 * 1024;
const MAX_URL_LENGTH = 2048;
const MAX_TEXT_BYTES = MB;
const WAYS = ['url', 'file', 'text'] as const;
type Way = (typeof WAYS)[number];
/** The form field of each way (the error summary links to it). */
const FIELD: Record<Way, string> = { url: 'url', file: 'fichier', text: 'text' };

export const LIST_PATH = '/mes-badges/importes';
export const FORM_PATH = '/mes-badges/importer';
const showPath = (id: string) => `${LIST_PATH}/${encodeURIComponent(id)}`;

/** An address typed without its scheme is taken as https, as browsers (and /verifier) do. */
function typedUrl(value: string): string | undefined {
  const text = value.trim();
  if (text.length === 0 || text.length > MAX_URL_LENGTH) return undefined;
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(\/\S*)?$/i.test(text))
    return parseHttpUrl(`https://${text}`);
  return parseHttpUrl(text);
}

interface FormState {
  status?: number;
  way?: Way;
  values?: Record<string, string>;
  fieldErrors?: FieldError[];
  /** The import already holding this badge (duplicate). */
  existingUrl?: string;
}

export function importsController(deps: { imports: ImportsUseCases; config: Config }) {
  const { imports, config } = deps;
  const t = (res: Response) => res.locals.t as TFunction;
  const userId = (req: Request) => (req.user as { id: string }).id;
  const maxUploadMb = config.VERIFY_MAX_UPLOAD_MB;

  /** The verifier's words for a result: verdict label, tone and the lines that made it. */
  function verdictOf(res: Response, outcome: VerificationOutcome) {
    return verificationViewModel(outcome, {
      t: t(res),
      lang: res.locals.lang as string,
      publicUrl: config.PUBLIC_URL,
      embedded: true,
    });
  }

  function item(res: Response, { record, outcome }: LiveImportedBadge) {
    const v = verdictOf(res, outcome);
    return {
      id: record._id,
      url: showPath(record._id),
      name: record.name,
      issuer: record.issuerName,
      image: record.image ? importedImagePath(record._id) : undefined,
      importedAt: record.importedAt,
      verdict: v.verdict,
      tone: v.tone,
      verdictLabel: v.verdictLabel,
      reasons: v.verdict === 'verified' ? [] : v.reasons,
      visibleOnProfile: record.visibleOnProfile,
    };
  }

  function renderForm(res: Response, state: FormState = {}) {
    const tr = t(res);
    const errors = state.fieldErrors?.length ? formErrors(tr, state.fieldErrors) : undefined;
    const title = tr('imports.form.title');
    res.status(state.status ?? 200).render('imports/form', {
      pageTitle: errors ? `${tr('forms.errorTitlePrefix')} ${title}` : title,
      navCurrent: 'myBadges',
      values: state.values ?? {},
      errors,
      textOpen: state.way === 'text',
      existingUrl: state.existingUrl,
      maxUploadMb,
    });
  }

  /** The multipart parser, in memory; a file over the limit shows the form with the limit. */
  const parser = singleFileUpload({
    fileSize: Math.floor(maxUploadMb * MB),
    fields: 6,
    fieldSize: MAX_TEXT_BYTES,
  });
  const upload: RequestHandler = (req, res, next) => {
    parser(req, res, (err: unknown) => {
      if (!err) return next();
      const code = (err as { code?: string }).code ?? '';
      if (!/^LIMIT_/.test(code)) return next(err);
      // The CSRF token may not have been read: show the form, change nothing.
      renderForm(res, {
        status: 413,
        way: 'file',
        fieldErrors: [
          { field: 'fichier', messageKey: 'imports.errors.tooLarge', params: { mb: maxUploadMb } },
        ],
      });
    });
  };

  const list: RequestHandler = async (req, res) => {
    const found = await imports.listLive(userId(req));
    const items = found.map((f) => item(res, f));
    res.render('imports/list', {
      pageTitle: t(res)('imports.list.title'),
      navCurrent: 'myBadges',
      items,
      countLabel: t(res)('imports.list.count', { count: items.length }),
    });
  };

  const showForm: RequestHandler = (_req, res) => renderForm(res);

  const submit: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const way: Way = (WAYS as readonly string[]).includes(str(body.way))
      ? (str(body.way) as Way)
      : 'url';
    const field = FIELD[way];
    const values = { url: str(body.url), text: str(body.text) };
    let input: VerificationInput | undefined;
    const fail = (messageKey: string) =>
      renderForm(res, { status: 422, way, values, fieldErrors: [{ field, messageKey }] });
    if (way === 'url') {
      const url = typedUrl(values.url);
      if (values.url.trim() === '') return fail('imports.errors.urlMissing');
      if (!url) return fail('imports.errors.urlInvalid');
      input = { way: 'url', url };
    } else if (way === 'text') {
      if (values.text.trim() === '') return fail('imports.errors.textMissing');
      input = { way: 'text', text: values.text };
    } else {
      const file = (req as Request & { file?: { buffer: Buffer } }).file;
      if (!file || file.buffer.length === 0) return fail('imports.errors.fileMissing');
      input = { way: 'file', bytes: new Uint8Array(file.buffer) };
    }
    try {
      const { id, outcome } = await imports.importBadge(userId(req), input, field);
      const v = verdictOf(res, outcome);
      flash(req, {
        kind: outcome.report.verdict === 'verified' ? 'ok' : 'warn',
        key: outcome.report.verdict === 'verified' ? 'imports.imported' : 'imports.importedWarning',
        params: { reasons: v.reasons.join(' ') },
      });
      res.redirect(303, showPath(id));
    } catch (err) {
      if (err instanceof ImportRefusedError) {
        const v = verdictOf(res, err.outcome);
        const reasons = v.reasons.join(' ');
        return renderForm(res, {
          status: 422,
          way,
          values,
          fieldErrors: [{ field, messageKey: err.messageKey, params: { reasons } }],
        });
      }
      if (err instanceof AlreadyImportedError) {
        return renderForm(res, {
          status: 409,
          way,
          values,
          fieldErrors: [{ field, messageKey: err.messageKey }],
          ...(err.existingId ? { existingUrl: showPath(err.existingId) } : {}),
        });
      }
      if (err instanceof VerificationInputError) {
        return renderForm(res, {
          status: err.status,
          way,
          values,
          fieldErrors: [{ field, messageKey: err.messageKey }],
        });
      }
      throw err;
    }
  };

  const show: RequestHandler = async (req, res) => {
    const found = await imports.getLive(userId(req), param(req, 'importId'));
    const result = verdictOf(res, found.outcome);
    res.render('imports/show', {
      pageTitle: `${found.record.name} – ${t(res)('imports.list.title')}`,
      navCurrent: 'myBadges',
      badge: item(res, found),
      record: {
        description: found.record.description,
        issuedOn: found.record.issuedOn ? new Date(found.record.issuedOn) : undefined,
        sourceUrl: found.record.sourceUrl,
        importedAt: found.record.importedAt,
      },
      result,
    });
  };

  const remove: RequestHandler = async (req, res) => {
    const removed = await imports.remove(userId(req), param(req, 'importId'));
    flash(req, { kind: 'ok', key: 'imports.removed', params: { name: removed.name } });
    res.redirect(303, LIST_PATH);
  };

  const visibility: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const visible = str(body.visible) === 'oui';
    const record = await imports.setVisibleOnProfile(userId(req), param(req, 'importId'), visible);
    flash(req, {
      kind: 'ok',
      key: visible ? 'imports.shownOnProfile' : 'imports.hiddenFromProfile',
      params: { name: record.name },
    });
    res.redirect(303, showPath(record._id));
  };

  const image: RequestHandler = async (req, res) => {
    const viewer = (req.user as { id?: string } | undefined)?.id;
    const found = await imports.image(viewer, param(req, 'importId'));
    if (!found) throw new NotFoundError();
    // Another site's file served from our origin: never a document that runs anything.
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    );
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.type(found.contentType).send(found.data);
  };

  return { list, showForm, submit, show, remove, visibility, image, upload };
}
export type ImportsController = ReturnType<typeof importsController>;
