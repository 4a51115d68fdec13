/**
 * Administration from the command line, through the same use cases as the web app.
 *
 *   npm run admin -- create --email nadia@ville-roubaix.fr [--name "Nadia B."] [--password]
 *   npm run admin -- rotate-key --issuer ville-de-roubaix
 *   npm run admin -- compromise-key --issuer ville-de-roubaix --key rsa-… --reason "Ordinateur volé"
 *   npm run admin -- backup --file sauvegarde.ndjson.gz   (restore --file … into an empty database)
 *   npm run admin -- help
 *
 * Subcommands live in `commands` below; add new ones there (e.g. `rotate-key`).
 * With the embedded database, stop the server first (or set MONGODB_URI to the running one).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { BadgeClassFormValues } from '../components/achievements/achievements.use-case.js';
import { ConfigError, loadConfig, type Config } from '../libraries/config/config.js';
import { ensureIndexes } from '../libraries/db/indexes.js';
import { startDatabase } from '../libraries/db/start-database.js';
import { ValidationError } from '../libraries/errors/app-error.js';
import { translator } from '../libraries/i18n/i18n.js';
import { createLogger } from '../libraries/logger/logger.js';
import { createMailer } from '../libraries/mail/mailer.js';
import { createAppServices, type AppServices } from '../app/app.js';
import type { Connection } from 'mongoose';
import { loadMasterKey, type MasterKey } from '../components/keys/master-key.js';
import { BackupError, restoreBackup, writeBackup } from '../libraries/db/backup.js';

interface Context {
  config: Config;
  /** Opens the database and the services for the duration of `fn`. */
  withServices<T>(fn: (services: AppServices) => Promise<T>): Promise<T>;
  /** Opens the database only (indexes ensured) for the duration of `fn`. */
  withDatabase<T>(fn: (db: Connection) => Promise<T>): Promise<T>;
  /** The master key, loaded as the server does (MASTER_KEY, MASTER_KEY_FILE or DATA_DIR). */
  masterKey(): MasterKey;
  out(line: string): void;
  err(line: string): void;
  promptHidden(question: string): Promise<string>;
}

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  run(values: Record<string, string | boolean | undefined>, ctx: Context): Promise<number>;
}

/** Who acts from the command line: the machine's operator, with every right (audited as "cli"). */
const CLI_ACTOR = { id: 'cli', email: 'ligne de commande', isAdmin: true, roles: {} };

const commands: Record<string, Command> = {
  demo: {
    summary:
      'Fill an empty database with a demonstration cooperative (issuer, coordinator, mediators, badges, awards, one revocation), through the real use cases; prints the accounts and their one-time passwords.',
    usage: 'demo',
    options: {},
    async run(_values, ctx) {
      return ctx.withServices(async (services) => {
        if (await services.accounts.anyAccountExists()) {
          ctx.err(
            'This database already has accounts: demonstration data goes only into an empty one.',
          );
          return 65;
        }
        const password = () => `${randomBytes(9).toString('base64url')} demo`;
        const people = {
          nadia: {
            email: 'nadia.coordination@exemple.fr',
            name: 'Nadia Benali',
            password: password(),
          },
          karim: {
            email: 'karim.mediateur@exemple.fr',
            name: 'Karim Haddad',
            password: password(),
          },
          samia: {
            email: 'samia.mediatrice@exemple.fr',
            name: 'Samia Lefort',
            password: password(),
          },
        };
        const nadia = await services.accounts.createAccount({
          ...people.nadia,
          passwordConfirm: people.nadia.password,
          isAdmin: true,
          via: 'cli',
        });
        const actor = {
          id: nadia._id,
          email: nadia.email,
          name: nadia.name,
          isAdmin: true,
          roles: {},
          language: 'fr' as const,
        };
        const { issuer } = await services.issuers.createIssuer({
          actor,
          ip: '',
          lang: 'fr',
          values: {
            name: 'Ville de Roubaix — Coopérative des médiateurs numériques',
            url: 'https://www.ville-roubaix.fr',
            email: 'coop.numerique@exemple.fr',
            description:
              'La coopérative réunit les médiatrices et médiateurs numériques des associations, centres sociaux et médiathèques de Roubaix, autour du conseiller numérique coordinateur de la Ville.',
            ownerEmail: people.nadia.email,
          },
        });
        for (const key of ['karim', 'samia'] as const) {
          const person = people[key];
          const user = await services.accounts.createAccount({
            ...person,
            passwordConfirm: person.password,
            isAdmin: false,
            via: 'cli',
          });
          await services.issuerRepo.addMembership({
            issuerId: issuer._id,
            userId: user._id,
            role: 'member',
            createdAt: new Date(),
          });
        }
        const badge = (values: Partial<BadgeClassFormValues> & { name: string }) =>
          services.achievements.createBadgeClass({
            actor,
            issuerId: issuer._id,
            ip: '',
            values: {
              description: '',
              criteriaNarrative: '',
              criteriaUrl: '',
              template: 'medal',
              level: '',
              primaryColor: '#1f4e8c',
              secondaryColor: '#a8001e',
              pictogram: 'demarche',
              alignments: [],
              thematiques: [],
              tags: '',
              validityDays: '',
              evidenceRequired: 'non',
              ...values,
            },
          });
        const demarche = await badge({
          name: 'Accompagner une démarche en ligne',
          description:
            'Accompagne une personne dans une démarche administrative en ligne (CAF, France Travail, impots.gouv), en la laissant faire elle-même autant que possible.',
          criteriaNarrative:
            "Avoir accompagné au moins cinq personnes dans une démarche en ligne complète, dont une avec FranceConnect, et présenté une situation à l'équipe de coordination.",
          template: 'ribbon',
          level: 'Confirmé',
          alignments: ['crcn:2.1', 'remn:CCP1'],
          tags: 'aide_aux_demarches_administratives',
          evidenceRequired: 'oui',
        });
        const smartphone = await badge({
          name: 'Sécuriser son smartphone',
          description:
            'Aide une personne à protéger son téléphone : verrouillage, mises à jour, sauvegardes, arnaques courantes.',
          criteriaNarrative:
            'Avoir animé un atelier « Sécuriser son smartphone » devant au moins six personnes.',
          template: 'shield',
          level: 'Initié',
          pictogram: 'securite',
          primaryColor: '#17663a',
          alignments: ['crcn:4.1', 'crcn:4.2'],
          tags: 'securite_numerique',
          validityDays: '730',
        });
        const issue = (badgeClassId: string, recipientEmail: string, evidence?: string) =>
          services.awards.issueAward({
            actor,
            ip: '',
            issuerId: issuer._id,
            badgeClassId,
            recipientEmail,
            ...(evidence ? { evidence } : {}),
            narrative: '',
            lang: 'fr',
          });
        const karim1 = await issue(
          demarche._id,
          people.karim.email,
          'https://exemple.fr/karim/portfolio',
        );
        await issue(smartphone._id, people.karim.email);
        await issue(demarche._id, people.samia.email, 'https://exemple.fr/samia/bilan');
        const mistake = await issue(smartphone._id, 'erreur@exemple.fr');
        await services.awards.revokeAward({
          actor,
          ip: '',
          issuerId: issuer._id,
          awardId: mistake.award._id,
          reason: 'Délivré par erreur (mauvaise adresse).',
        });
        ctx.out(
          'Demonstration data created. Start the app with `npm start` and sign in at /connexion:',
        );
        for (const p of Object.values(people))
          ctx.out(`  ${p.name.padEnd(14)} ${p.email.padEnd(32)} ${p.password}`);
        ctx.out(`Issuer: /structures/${issuer._id}   An award: /assertions/${karim1.award._id}`);
        ctx.out('(Demonstration passwords: change them on the account page before any real use.)');
        return 0;
      });
    },
  },
  backup: {
    summary:
      'Write the whole database (documents, images, encrypted signing keys, settings) to one gzip archive with a manifest of counts and SHA-256 hashes. The master key is NOT in it: keep it apart.',
    usage: 'backup --file <path.ndjson.gz>',
    options: { file: { type: 'string' } },
    async run(values, ctx) {
      const file = typeof values.file === 'string' ? values.file : '';
      if (!file) {
        ctx.err('Missing --file (where to write the archive).');
        return 64;
      }
      const masterKeyCheck = masterKeyCheckValue(ctx.masterKey());
      return ctx.withDatabase(async (db) => {
        try {
          const manifest = await writeBackup(db, file, { now: new Date(), masterKeyCheck });
          const total = manifest.collections.reduce((sum, c) => sum + c.count, 0);
          ctx.out(`Backup written to ${file}: ${total} documents.`);
          for (const c of manifest.collections) ctx.out(`  ${c.name}: ${c.count}`);
          ctx.out(
            'Keep the master key apart from this file: the archive cannot be used without it.',
          );
          return 0;
        } catch (e) {
          if (!(e instanceof BackupError)) throw e;
          ctx.err(e.message);
          return 75;
        }
      });
    },
  },
  restore: {
    summary:
      "Restore a backup archive into an EMPTY database, after checking every collection against the manifest and that the configured master key is the backup's. Nothing is written if a check fails.",
    usage: 'restore --file <path.ndjson.gz>',
    options: { file: { type: 'string' } },
    async run(values, ctx) {
      const file = typeof values.file === 'string' ? values.file : '';
      if (!file) {
        ctx.err('Missing --file (the archive to restore).');
        return 64;
      }
      const masterKey = ctx.masterKey();
      return ctx.withDatabase(async (db) => {
        try {
          const manifest = await restoreBackup(db, file, {
            checkMasterKey: (check) => masterKeyCheckMatches(masterKey, check),
          });
          const total = manifest.collections.reduce((sum, c) => sum + c.count, 0);
          ctx.out(`Restored ${total} documents from the backup of ${manifest.createdAt}.`);
          for (const c of manifest.collections) ctx.out(`  ${c.name}: ${c.count}`);
          return 0;
        } catch (e) {
          if (!(e instanceof BackupError)) throw e;
          ctx.err(e.message);
          return 65;
        }
      });
    },
  },
  'rotate-key': {
    summary:
      "Renew an issuer's signing keys: new keys sign from now on, old ones stay published, and stored OB 2.0 signed badges are signed again.",
    usage: 'rotate-key --issuer <issuer id>',
    options: { issuer: { type: 'string' } },
    async run(values, ctx) {
      const issuerId = typeof values.issuer === 'string' ? values.issuer : '';
      if (!issuerId) {
        ctx.err('Missing --issuer (the id in /structures/<id>).');
        return 64;
      }
      return ctx.withServices(async ({ awards, issuerRepo }) => {
        if (!(await issuerRepo.findById(issuerId))) {
          ctx.err(`No issuer "${issuerId}".`);
          return 65;
        }
        const result = await awards.rotateIssuerKeys({ actor: CLI_ACTOR, ip: '', issuerId });
        ctx.out(`Keys of ${issuerId} renewed.`);
        ctx.out(`  new keys:     ${result.created.join(', ')}`);
        ctx.out(`  retired keys: ${result.retired.join(', ') || '(none)'} (still published)`);
        ctx.out(`  OB 2.0 signed badges signed again: ${result.resigned}`);
        return 0;
      });
    },
  },
  'compromise-key': {
    summary:
      "Declare one of an issuer's keys compromised: it leaves every public document at once (a new key replaces it if it was active), and badges signed with it no longer verify. Then issue them again from /structures/<id>/cles/<key>/badges-concernes.",
    usage: 'compromise-key --issuer <issuer id> --key <key id> --reason "<what happened>"',
    options: { issuer: { type: 'string' }, key: { type: 'string' }, reason: { type: 'string' } },
    async run(values, ctx) {
      const issuerId = typeof values.issuer === 'string' ? values.issuer : '';
      const keyId = typeof values.key === 'string' ? values.key : '';
      const reason = typeof values.reason === 'string' ? values.reason.trim() : '';
      if (!issuerId || !keyId || !reason) {
        ctx.err('Missing --issuer, --key or --reason (all three are required).');
        return 64;
      }
      return ctx.withServices(async ({ compromisedKeys, issuerRepo, keys }) => {
        if (!(await issuerRepo.findById(issuerId))) {
          ctx.err(`No issuer "${issuerId}".`);
          return 65;
        }
        const key = await keys.findPublicKey(keyId);
        if (!key || key.issuerId !== issuerId) {
          ctx.err(`No key "${keyId}" for issuer "${issuerId}".`);
          return 65;
        }
        const result = await compromisedKeys.declareCompromised({
          actor: CLI_ACTOR,
          ip: '',
          issuerId,
          keyId,
          reason,
        });
        if (result.already) {
          ctx.out(
            `Key ${keyId} was already declared compromised on ${result.key.compromisedAt?.toISOString() ?? '?'}. Nothing changed.`,
          );
          return 0;
        }
        const affected = await compromisedKeys.affected(CLI_ACTOR, issuerId, keyId, 1);
        ctx.out(`Key ${keyId} of ${issuerId} declared compromised; it is no longer published.`);
        if (result.replacement)
          ctx.out(`  new ${result.replacement.type} key: ${result.replacement._id}`);
        ctx.out(`  badges signed with it: ${affected.total} (${affected.pending} to issue again)`);
        ctx.out(`  issue them again at /structures/${issuerId}/cles/${keyId}/badges-concernes`);
        return 0;
      });
    },
  },
  create: {
    summary: 'Create a platform administrator (never with a default password).',
    usage: 'create --email <address> [--name <full name>] [--password]',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'boolean', default: false },
    },
    async run(values, ctx) {
      const email = typeof values.email === 'string' ? values.email : '';
      if (!email) {
        ctx.err('Missing --email.');
        return 64;
      }
      const name =
        typeof values.name === 'string' && values.name.trim() ? values.name : email.split('@')[0]!;
      let password: string | undefined;
      if (values.password) {
        password = await ctx.promptHidden('Password (12 characters or more, not shown): ');
        const again = await ctx.promptHidden('Same password again: ');
        if (password !== again) {
          ctx.err('The two passwords differ. Nothing was created.');
          return 65;
        }
      }
      return ctx.withServices(async ({ accounts }) => {
        try {
          const user = await accounts.createAccount({
            email,
            name,
            isAdmin: true,
            via: 'cli',
            ...(password !== undefined ? { password, passwordConfirm: password } : {}),
          });
          ctx.out(`Administrator created: ${user.name} <${user.email}>`);
          if (password === undefined) {
            const link = await accounts.createSetPasswordLink(user, 'cli');
            ctx.out('');
            ctx.out('Open this one-time link to choose the password (valid until');
            ctx.out(`${link.expiresAt.toISOString()}, usable once):`);
            ctx.out('');
            ctx.out(`  ${link.url}`);
            ctx.out('');
          } else {
            ctx.out('The password is set; sign in at /connexion.');
          }
          return 0;
        } catch (err) {
          if (err instanceof ValidationError) {
            const t = translator('en');
            for (const e of err.fieldErrors)
              ctx.err(`${e.field}: ${t(e.messageKey, e.params ?? {})}`);
            return 65;
          }
          throw err;
        }
      });
    },
  },
};

function help(out: (line: string) => void): void {
  out('Coop Badges administration');
  out('');
  out('Usage: npm run admin -- <command> [options]');
  out('');
  for (const c of Object.values(commands)) {
    out(`  ${c.usage}`);
    out(`      ${c.summary}`);
  }
  out('  help');
  out('      Show this help.');
}

/** Reads a line without echoing it (a terminal), or a plain line from a pipe. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  if (!stdin.isTTY) {
    return new Promise((resolve) => {
      let data = '';
      const onData = (chunk: Buffer) => {
        data += chunk.toString('utf8');
        const nl = data.indexOf('\n');
        if (nl >= 0) {
          stdin.off('data', onData);
          stdin.pause();
          stdin.unshift(Buffer.from(data.slice(nl + 1)));
          resolve(data.slice(0, nl).replace(/\r$/, ''));
        }
      };
      stdin.on('data', onData);
      stdin.resume();
    });
  }
  return new Promise((resolve, reject) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          return reject(new Error('cancelled'));
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function main(argv: string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(out);
    return name ? 0 : 64;
  }
  const command = commands[name];
  if (!command) {
    err(`Unknown command "${name}".`);
    help(err);
    return 64;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: command.options,
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    err(`${(e as Error).message}\nUsage: npm run admin -- ${command.usage}`);
    return 64;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      err(e.message);
      return 78;
    }
    throw e;
  }
  const logger = createLogger({ level: 'warn' }, process.stderr);
  const ctx: Context = {
    config,
    out,
    err,
    promptHidden,
    masterKey: () =>
      loadMasterKey({
        value: config.MASTER_KEY,
        file: config.MASTER_KEY_FILE,
        dataDir: config.dataDir,
        production: config.isProduction,
      }),
    async withDatabase(fn) {
      const { db, embedded } = await startDatabase(config, logger, err);
      try {
        await ensureIndexes(db);
        return await fn(db);
      } finally {
        await db.close().catch(() => {});
        await embedded?.stop();
      }
    },
    async withServices(fn) {
      const { db, embedded } = await startDatabase(config, logger, err);
      const mailer = createMailer({ config, logger });
      try {
        // Loads the master key as the server does (MASTER_KEY, MASTER_KEY_FILE or DATA_DIR).
        const services = createAppServices({
          config,
          logger,
          db,
          clock: () => new Date(),
          mailer,
        });
        await ensureIndexes(db);
        try {
          return await fn(services);
        } finally {
          await services.close();
        }
      } finally {
        mailer.close();
        await db.close().catch(() => {});
        await embedded?.stop();
      }
    },
  };
  return command.run(values as Record<string, string | boolean | undefined>, ctx);
}

/** A known text encrypted with the master key: proves which key a backup needs, reveals nothing. */
const MASTER_KEY_CHECK_TEXT = 'coop-badges backup master key check';
function masterKeyCheckValue(key: MasterKey): unknown {
  return key.encrypt(Buffer.from(MASTER_KEY_CHECK_TEXT), 'backup');
}
function masterKeyCheckMatches(key: MasterKey, check: unknown): boolean {
  try {
    const text = key.decrypt(check as Parameters<MasterKey['decrypt']>[0], 'backup');
    return text.toString() === MASTER_KEY_CHECK_TEXT;
  } catch {
    return false;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`Failed: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
