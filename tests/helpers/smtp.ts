import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** The raw message as received over SMTP. */
  raw: string;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  /** smtp://127.0.0.1:<port> for SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  /** How many SMTP connections were opened (pooled senders reuse theirs). */
  readonly connections: number;
  /** Waits until a message matches (polling what the server received; no timed assertion). */
  waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** The first link to this site found in the message's text part. */
  close(): Promise<void>;
}

/**
 * A plain loopback relay's options (no TLS, no AUTH, quiet) that calls `connected` for each
 * SMTP connection. Also used by the bulk bench's relay (scripts/bench/smtp-sink.ts).
 */
export function loopbackRelayOptions(connected: () => void): SMTPServerOptions {
  return {
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // Pooled senders keep their connections open: closing must not wait 30 s for them.
    closeTimeout: 200,
    onConnect(_session, callback) {
      connected();
      callback();
    },
  };
}

/** A real SMTP server on loopback that parses and keeps what it receives. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  let connections = 0;
  const server = new SMTPServer({
    ...loopbackRelayOptions(() => connections++),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              to: session.envelope.rcptTo.map((r) => r.address).join(', '),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              raw,
              parsed,
            });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get connections() {
      return connections;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `no matching mail received; got: ${messages.map((m) => `${m.to} «${m.subject}»`).join(', ') || 'none'}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link of the message's text that points at `path` on the site (e.g. "/invitation/"). */
export function linkIn(mail: ReceivedMail, path: string): string {
  const m = new RegExp(`https?://[^\\s]+${path.replace(/[/.]/g, '\\$&')}[^\\s]*`).exec(mail.text);
  if (!m) throw new Error(`no link to ${path} in «${mail.subject}»:\n${mail.text}`);
  return m[0];
}
