import { createHash, randomBytes } from 'node:crypto';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Config } from '../../libraries/config/config.js';
import { AppError } from '../../libraries/errors/app-error.js';
import type { Language } from '../../libraries/i18n/i18n.js';
import type { Logger } from '../../libraries/logger/logger.js';
import type { Mailer } from '../../libraries/mail/mailer.js';
import { sendTemplatedEmail } from '../../libraries/mail/render-email.js';
import type { AuthUser } from '../accounts/accounts.use-case.js';
import type { OneTimeTokenRepository } from '../accounts/one-time-token.repository.js';
import type { SessionAdmin } from '../accounts/session.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import type {
  DataSubject,
  PersonalDataRepository,
  PlainRecord,
} from './personal-data.repository.js';

/** The reason every badge of a deleted account is revoked with (shown by verifiers). */
export const DELETED_ACCOUNT_REASON = 'compte supprimé';

/** Who a deleted account becomes in what stays (audit, recommendations): stable, names nobody. */
export function pseudonymOf(userId: string): string {
  return `compte supprimé #${createHash('sha256').update(userId, 'utf8').digest('hex').slice(0, 6)}`;
}

/** The address and salt an erased award keeps: well-formed, the same for everybody. */
export const ERASED_RECIPIENT_EMAIL = 'compte-supprime@compte-supprime.invalid';

/**
 * What another component holds about a person (public profile, imported badges…): it adds its
 * records to the export and erases them when the account is deleted. Registered in
 * src/app/services.ts (`personalDataEraser` list).
 */
export interface PersonalDataEraser {
  /** Collection or section name in the export. */
  name: string;
  export?(subject: DataSubject): Promise<PlainRecord[]>;
  erase(subject: DataSubject & { pseudonym: string }): Promise<void>;
}

/** A baked badge image as the public URL map serves it. */
export type BakedImage = (
  awardId: string,
  variant: string,
) => Promise<{ body: Buffer | string } | null>;

export interface MyDataDeps {
  config: Config;
  logger: Logger;
  clock: () => Date;
  mailer: Mailer;
  audit: Audit;
  users: UserRepository;
  tokens: OneTimeTokenRepository;
  sessions: SessionAdmin;
  issuers: Pick<IssuerRepository, 'findByIds'>;
  personal: PersonalDataRepository;
  /** The awards use case's revocation (status lists, audit): see revokeForDeletedAccount. */
  revokeAward(input: {
    actor: AuthUser;
    ip: string;
    awardId: string;
    reason: string;
  }): Promise<unknown>;
  baked: BakedImage;
  bakedVariants: readonly string[];
  erasers: readonly PersonalDataEraser[];
}

export type DeletionTokenResult =
  { ok: true; email: string } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

const DAY = 24 * 3600_000;

function bytesOf(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  const inner = (data as { buffer?: unknown } | null)?.buffer;
  return inner instanceof Uint8Array ? inner : new Uint8Array();
}

/** A file name safe in a zip on every system. */
function safeName(name: string): string {
  return name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 100) || 'fichier';
}

export function myDataUseCases(deps: MyDataDeps) {
  const { config, clock, personal, users, tokens, audit } = deps;

  async function subjectOf(userId: string): Promise<(DataSubject & { name: string }) | null> {
    const user = await users.findById(userId);
    if (!user) return null;
    return { userId, name: user.name, emails: await personal.emailsOf(userId, user.email) };
  }

  /** Structures the person is the only owner of (names, for the message). */
  async function blockers(userId: string): Promise<string[]> {
    const ids = await personal.issuersOnlyOwnedBy(userId);
    if (ids.length === 0) return [];
    const found = await deps.issuers.findByIds(ids);
    return ids.map((id) => found.find((i) => i._id === id)?.name ?? id);
  }

  function lastOwnerError(names: string[]): AppError {
    return new AppError(409, 'conflict', {
      messageKey: 'myData.delete.lastOwner',
      params: { issuers: names.join(', '), count: names.length },
    });
  }

  return {
    /**
     * A zip: `donnees.json` (every record about the person, by collection), the files sent
     * with their badge requests (`preuves/`) and their badges baked in every form (`badges/`).
     */
    async exportFor(user: AuthUser, ip: string): Promise<{ fileName: string; zip: Uint8Array }> {
      const subject = await subjectOf(user.id);
      if (!subject) throw new AppError(404, 'not_found');
      // Recorded first: the export then lists its own entry too.
      await audit.record({
        action: 'account.exported',
        actor: user,
        target: { type: 'user', id: user.id },
        ip,
      });
      const records = await personal.collect(subject);
      for (const eraser of deps.erasers) {
        if (eraser.export) records[eraser.name] = await eraser.export(subject);
      }
      const now = clock();
      const files: Zippable = {};
      for (const f of await personal.evidenceFiles(user.id)) {
        files[`preuves/${safeName(f.requestId)}-${safeName(f.name)}`] = bytesOf(f.data);
      }
      const awardIds = await personal.receivedAwardIds(subject);
      for (const id of awardIds) {
        for (const variant of deps.bakedVariants) {
          const image = await deps.baked(id, variant);
          if (!image) continue;
          files[`badges/${safeName(id)}/${variant}`] =
            typeof image.body === 'string' ? strToU8(image.body) : new Uint8Array(image.body);
        }
      }
      const json = JSON.stringify(
        {
          generatedAt: now.toISOString(),
          platform: config.PUBLIC_URL,
          operator: { name: config.OPERATOR_NAME, email: config.OPERATOR_EMAIL },
          subject: { id: subject.userId, emails: subject.emails },
          records,
        },
        null,
        2,
      );
      files['donnees.json'] = strToU8(json);
      const day = now.toISOString().slice(0, 10);
      return { fileName: `mes-donnees-coop-badges-${day}.zip`, zip: zipSync(files, { level: 6 }) };
    },

    /** Structures the person must hand over before deleting their account (names). */
    deletionBlockers: blockers,

    /** Mails a single-use confirmation link; refused while the person is a structure's last owner. */
    async requestDeletion(user: AuthUser, ip: string): Promise<void> {
      const names = await blockers(user.id);
      if (names.length) throw lastOwnerError(names);
      const found = await users.findById(user.id);
      if (!found) throw new AppError(404, 'not_found');
      const now = clock();
      const expiresAt = new Date(now.getTime() + config.ACCOUNT_DELETION_HOURS * 3600_000);
      const { token } = await tokens.issue({
        purpose: 'account-deletion',
        email: found.email,
        userId: found._id,
        createdAt: now,
        expiresAt,
      });
      await audit.record({
        action: 'account.deletionRequested',
        actor: user,
        target: { type: 'user', id: user.id },
        ip,
      });
      await sendTemplatedEmail(deps, {
        to: found.email,
        lang: found.language as Language,
        template: 'account-deletion-confirm',
        data: {
          siteUrl: config.PUBLIC_URL,
          name: found.name,
          url: `${config.PUBLIC_URL}/compte/suppression/confirmer/${token}`,
          hours: config.ACCOUNT_DELETION_HOURS,
        },
      });
    },

    async checkDeletionToken(token: string): Promise<DeletionTokenResult> {
      const result = await tokens.check(token, ['account-deletion'], clock());
      if (!result.ok) return result;
      const user = result.doc.userId ? await users.findById(result.doc.userId) : null;
      if (!user) return { ok: false, reason: 'unknown' };
      return { ok: true, email: user.email };
    },

    /**
     * Deletes the account behind a confirmation link: badges revoked ("compte supprimé"),
     * requests and their files, links, sessions, memberships and the account erased; what
     * others rely on (audit, recommendations written, decisions) stays under a pseudonym.
     */
    async confirmDeletion(input: {
      token: string;
      ip: string;
    }): Promise<
      { ok: true; userId: string } | { ok: false; reason: 'unknown' | 'expired' | 'used' }
    > {
      const checked = await tokens.check(input.token, ['account-deletion'], clock());
      if (!checked.ok) return checked;
      const userId = checked.doc.userId ?? '';
      const subject = await subjectOf(userId);
      if (!subject) return { ok: false, reason: 'unknown' };
      const names = await blockers(userId);
      if (names.length) throw lastOwnerError(names);
      const consumed = await tokens.consume(input.token, ['account-deletion'], clock(), userId);
      if (!consumed.ok) return consumed;
      const actor: AuthUser = {
        id: userId,
        email: subject.emails[0] ?? '',
        name: subject.name,
        language: 'fr',
        isAdmin: false,
        roles: {},
      };
      const pseudonym = pseudonymOf(userId);
      const awardIds = await personal.receivedAwardIds(subject);
      for (const awardId of awardIds) {
        await deps.revokeAward({ actor, ip: input.ip, awardId, reason: DELETED_ACCOUNT_REASON });
      }
      await personal.eraseRecipients(awardIds, () => ({
        'recipient.email': ERASED_RECIPIENT_EMAIL,
        'recipient.salt': randomBytes(16).toString('base64url'),
      }));
      await personal.forgetAddresses(subject.emails);
      await personal.deleteRequests(userId);
      await personal.pseudonymiseContributions(subject, pseudonym);
      for (const eraser of deps.erasers) await eraser.erase({ ...subject, pseudonym });
      await personal.deleteTokensAndFailures(subject);
      await personal.deleteMemberships(userId);
      await deps.sessions.destroyForUser(userId);
      await personal.deleteUser(userId);
      const at = clock();
      await personal.recordDeletion(userId, pseudonym, at);
      await audit.record({
        action: 'account.deleted',
        actor: { id: userId, email: pseudonym },
        target: { type: 'user', id: userId },
        ip: input.ip,
        details: { awardsRevoked: awardIds.length },
      });
      await personal.pseudonymiseAudit(subject, pseudonym);
      deps.logger.info({ userId }, 'account deleted');
      return { ok: true, userId };
    },

    /** Retention periods (config RETENTION_*), enforced by the periodic clean-up. */
    async purgeExpired(): Promise<{ deletedAccountAudit: number; refusedEvidence: number }> {
      const now = clock();
      const auditBefore = new Date(now);
      auditBefore.setUTCMonth(auditBefore.getUTCMonth() - config.RETENTION_DELETED_AUDIT_MONTHS);
      return {
        deletedAccountAudit: await personal.purgeDeletedAccountAudit(auditBefore),
        refusedEvidence: await personal.purgeRefusedEvidence(
          new Date(now.getTime() - config.RETENTION_REFUSED_EVIDENCE_DAYS * DAY),
        ),
      };
    },
  };
}
export type MyDataUseCases = ReturnType<typeof myDataUseCases>;
