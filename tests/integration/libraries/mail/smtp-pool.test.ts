import { loadConfig } from '../../../../src/libraries/config/config.js';
import { createLogger } from '../../../../src/libraries/logger/logger.js';
import { createMailer, pooledSmtpUrl } from '../../../../src/libraries/mail/mailer.js';
import { startSmtpServer, type TestSmtpServer } from '../../../helpers/smtp.js';

describe('SMTP mailer', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.close();
  });

  it('When a CSV run announces many badges, then every message arrives over a handful of reused connections', async () => {
    const config = loadConfig({ NODE_ENV: 'test', SMTP_URL: smtp.url });
    const mailer = createMailer({ config, logger: createLogger({ level: 'silent' }) });
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          mailer.send({
            to: `mediateur-${i}@exemple.fr`,
            subject: `Badge ${i}`,
            text: `Votre badge ${i}`,
            html: `<p>Votre badge ${i}</p>`,
          }),
        ),
      );
    } finally {
      mailer.close();
    }
    const received = smtp.messages.filter((m) => /^mediateur-\d+@exemple\.fr$/.test(m.to));
    expect(new Set(received.map((m) => m.to)).size).toBe(40);
    // nodemailer's pool opens 5 connections at most (one per message without it: 40).
    expect(smtp.connections).toBeGreaterThan(0);
    expect(smtp.connections).toBeLessThanOrEqual(5);
  });

  it('pool=true is added to SMTP_URL unless the URL already says', () => {
    expect(pooledSmtpUrl('smtps://u:p%40ss@relais.roubaix.fr:465')).toBe(
      'smtps://u:p%40ss@relais.roubaix.fr:465?pool=true',
    );
    expect(pooledSmtpUrl('smtp://relais:587?requireTLS=true')).toBe(
      'smtp://relais:587?requireTLS=true&pool=true',
    );
    expect(pooledSmtpUrl('smtp://relais:25?pool=false')).toBe('smtp://relais:25?pool=false');
  });
});
