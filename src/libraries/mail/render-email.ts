import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { translator, type Language } from '../i18n/i18n.js';
import { viewsDir } from '../paths.js';

/**
 * Emails are handlebars templates under views/emails/: `<name>.text.hbs` (plain text, not
 * escaped) and `<name>.html.hbs` (inside `layout.html.hbs`). The subject is the i18n key
 * `emails.<name>.subject`. Everything is rendered in the recipient's language.
 */
export type EmailName =
  | 'invitation'
  | 'password-reset'
  | 'password-changed'
  | 'email-change-confirm'
  | 'email-change-requested'
  | 'email-changed'
  | 'award-issued'
  | 'award-revoked'
  | 'award-reissued'
  | 'request-submitted'
  | 'request-returned'
  | 'request-rejected'
  | 'request-quorum-reached'
  | 'endorsement-received'
  | 'request-endorsed'
  | 'request-awaits-recommendation'
  | 'account-deletion-confirm'
  | 'wallet-link'
  | 'wallet-code';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const emailsDir = path.join(viewsDir, 'emails');
const hbs = Handlebars.create();
hbs.registerHelper('t', function (this: unknown, key: string, options: Handlebars.HelperOptions) {
  const t = (options.data?.root as { t?: (k: string, o?: object) => string } | undefined)?.t;
  return t ? t(key, options.hash ?? {}) : key;
});

const cache = new Map<string, Handlebars.TemplateDelegate>();
function template(file: string, noEscape: boolean): Handlebars.TemplateDelegate {
  const key = `${file}:${noEscape}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = hbs.compile(fs.readFileSync(path.join(emailsDir, file), 'utf8'), { noEscape });
    cache.set(key, compiled);
  }
  return compiled;
}

export function renderEmail(
  name: EmailName,
  lang: Language,
  data: Record<string, unknown>,
): RenderedEmail {
  const t = translator(lang);
  const context = { ...data, lang, t };
  const subject = String(t(`emails.${name}.subject`, data));
  const text = template(`${name}.text.hbs`, true)(context);
  const body = template(`${name}.html.hbs`, false)(context);
  const html = template('layout.html.hbs', false)({ ...context, subject, body });
  return { subject, text, html };
}

/**
 * Renders and sends one templated email. Failures are logged (without the content, which
 * may hold a one-time link) and reported as `false`: callers decide what to tell the user.
 */
export async function sendTemplatedEmail(
  deps: {
    mailer: { send(m: { to: string; subject: string; text: string; html: string }): Promise<void> };
    logger: { error(obj: object, msg: string): void };
  },
  message: { to: string; lang: Language; template: EmailName; data: Record<string, unknown> },
): Promise<boolean> {
  try {
    const rendered = renderEmail(message.template, message.lang, message.data);
    await deps.mailer.send({ to: message.to, ...rendered });
    return true;
  } catch (err) {
    deps.logger.error(
      {
        template: message.template,
        err: { name: (err as Error).name, code: (err as { code?: string }).code },
      },
      'email could not be sent',
    );
    return false;
  }
}
