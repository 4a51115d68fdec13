import type { RequestHandler } from 'express';
import type { Config } from '../../libraries/config/config.js';
import { NotFoundError } from '../../libraries/errors/app-error.js';
import { readOutbox, readOutboxEntry } from '../../libraries/mail/mailer.js';
import type { RouteDef } from '../../libraries/web/route-table.js';

/**
 * Development tools, never mounted in production: the outbox of messages written when no
 * SMTP server is configured (to follow invitation and password links locally).
 */
export function devRoutes(deps: { config: Config }): RouteDef[] {
  if (deps.config.isProduction) return [];
  const list: RequestHandler = async (_req, res) => {
    const t = res.locals.t as (k: string) => string;
    res.render('dev/outbox', {
      pageTitle: t('dev.outbox.title'),
      smtp: Boolean(deps.config.SMTP_URL),
      messages: await readOutbox(deps.config),
    });
  };
  const show: RequestHandler = async (req, res) => {
    const entry = await readOutboxEntry(deps.config, String(req.params.id));
    if (!entry) throw new NotFoundError();
    // Links of the message (invitations, password links) made clickable for local testing.
    const links = [...new Set(entry.text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
    res.render('dev/message', { pageTitle: entry.subject, message: entry, links });
  };
  return [
    {
      method: 'get',
      path: '/dev/courriels',
      access: { kind: 'development' },
      summary: 'Development outbox: messages written instead of sent',
      handlers: [list],
    },
    {
      method: 'get',
      path: '/dev/courriels/:id',
      access: { kind: 'development' },
      example: '/dev/courriels/20270101T000000000Z-00000000',
      summary: 'One message of the development outbox',
      handlers: [show],
    },
  ];
}
