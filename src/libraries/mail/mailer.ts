import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger/logger.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends mail. Never logs the content: links in messages carry one-time tokens. */
export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Summary written next to each .eml of the development outbox (for the /dev/courriels page). */
export interface OutboxEntry {
  id: string;
  to: string;
  subject: string;
  date: string;
  text: string;
}

export function outboxDir(config: Config): string {
  return path.join(config.dataDir, 'outbox');
}

/**
 * A CSV run announces thousands of badges: one SMTP connection per message would mean as many
 * handshakes (TLS, AUTH) with the relay. nodemailer's pool keeps a few connections open and
 * sends over them (5 at most, 100 messages each); `pool=false` in SMTP_URL turns it off.
 */
export function pooledSmtpUrl(url: string): string {
  if (/[?&]pool=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}pool=true`;
}

/**
 * Our messages are French text: nodemailer would pick quoted-printable for each of them after
 * scanning it; saying so skips the scan (a quarter of its work per message, same bytes).
 */
const MESSAGE_DEFAULTS = { textEncoding: 'quoted-printable' } as const;

/**
 * SMTP when SMTP_URL is set; otherwise (development) each message is written as an .eml file
 * under $DATA_DIR/outbox/, with a small .json summary beside it.
 */
export function createMailer(deps: { config: Config; logger: Logger }): Mailer {
  const { config, logger } = deps;
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport(pooledSmtpUrl(config.SMTP_URL), MESSAGE_DEFAULTS);
    return {
      kind: 'smtp',
      async send(message) {
        await transport.sendMail({ from: config.MAIL_FROM, ...message });
        logger.debug('mail sent by SMTP');
      },
      close: () => transport.close(),
    };
  }
  const dir = outboxDir(config);
  const transport = nodemailer.createTransport(
    { streamTransport: true, buffer: true, newline: 'unix' },
    MESSAGE_DEFAULTS,
  );
  // Made once (a CSV run writes thousands of messages); made again if someone removed it.
  let made: Promise<unknown> | undefined;
  const makeDir = () => (made ??= fs.promises.mkdir(dir, { recursive: true }));
  return {
    kind: 'outbox',
    async send(message) {
      const info = await transport.sendMail({ from: config.MAIL_FROM, ...message });
      await makeDir();
      const date = new Date();
      // Sortable by name: the newest message has the greatest id.
      const id = `${date.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
      try {
        await fs.promises.writeFile(path.join(dir, `${id}.eml`), info.message as Buffer);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        made = undefined;
        await makeDir();
        await fs.promises.writeFile(path.join(dir, `${id}.eml`), info.message as Buffer);
      }
      const entry: OutboxEntry = {
        id,
        to: message.to,
        subject: message.subject,
        date: date.toISOString(),
        text: message.text,
      };
      await fs.promises.writeFile(path.join(dir, `${id}.json`), JSON.stringify(entry, null, 2));
      logger.debug({ id }, 'mail written to the development outbox');
    },
    close: () => transport.close(),
  };
}

/** The messages of the development outbox, newest first. */
export async function readOutbox(config: Config, limit = 100): Promise<OutboxEntry[]> {
  const dir = outboxDir(config);
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return [];
  }
  const ids = names
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -5))
    .sort()
    .reverse()
    .slice(0, limit);
  const entries: OutboxEntry[] = [];
  for (const id of ids) {
    const entry = await readOutboxEntry(config, id);
    if (entry) entries.push(entry);
  }
  return entries;
}

const OUTBOX_ID = /^[0-9TZ]+-[0-9a-f]{8}$/;

export async function readOutboxEntry(config: Config, id: string): Promise<OutboxEntry | null> {
  if (!OUTBOX_ID.test(id)) return null;
  try {
    const raw = await fs.promises.readFile(path.join(outboxDir(config), `${id}.json`), 'utf8');
    return JSON.parse(raw) as OutboxEntry;
  } catch {
    return null;
  }
}
