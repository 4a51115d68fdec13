import type { Response } from 'express';
import type { TFunction } from 'i18next';
import type { FieldError } from '../errors/app-error.js';
import { ValidationError } from '../errors/app-error.js';

export interface FormErrors {
  /** For the error summary at the top of the page (GOV.UK pattern): links to the fields. */
  summary: { href: string; message: string }[];
  /** Messages per field name, shown above the field. */
  byField: Record<string, string[]>;
}

export function formErrors(t: TFunction, fieldErrors: readonly FieldError[]): FormErrors {
  const summary: FormErrors['summary'] = [];
  const byField: FormErrors['byField'] = {};
  for (const e of fieldErrors) {
    const message = String(t(e.messageKey, e.params ?? {}));
    summary.push({ href: `#${e.field}`, message });
    (byField[e.field] ??= []).push(message);
  }
  return { summary, byField };
}

/**
 * Renders `view` again with the errors of a ValidationError (422), or rethrows anything else.
 * Passwords are never sent back into the form.
 */
export function renderFormErrors(
  res: Response,
  err: unknown,
  view: string,
  locals: Record<string, unknown>,
  status = 422,
): void {
  if (!(err instanceof ValidationError)) throw err;
  const t = res.locals.t as TFunction;
  res.status(status).render(view, {
    ...locals,
    pageTitle: `${String(t('forms.errorTitlePrefix'))} ${String(locals.pageTitle ?? '')}`.trim(),
    errors: formErrors(t, err.fieldErrors),
  });
}
