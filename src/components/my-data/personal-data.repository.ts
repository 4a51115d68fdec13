import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { badgeClassModel } from '../achievements/badge-class.model.js';
import { oneTimeTokenModel, tokenUseModel } from '../accounts/one-time-token.model.js';
import { SESSIONS_COLLECTION } from '../accounts/session.js';
import { signInFailureModel } from '../accounts/sign-in-failure.model.js';
import { userModel } from '../accounts/user.model.js';
import { auditEventModel } from '../audit/audit.model.js';
import { awardModel, revocationModel } from '../awards/award.model.js';
import { recipientSlots } from '../awards/recipient-slots.js';
import { bulkRowModel, bulkRunModel } from '../bulk-issuing/bulk-run.model.js';
import { endorsementModel, endorserProfileModel } from '../endorsements/endorsement.model.js';
import { frameworkModel } from '../frameworks/frameworks.model.js';
import { issuerModel } from '../issuers/issuer.model.js';
import { membershipModel } from '../issuers/membership.model.js';
import { issuerKeyModel } from '../keys/keys.model.js';
import {
  badgeRequestModel,
  requestDecisionModel,
  requestFileModel,
} from '../requests/request.model.js';
import { deletedAccountModel } from './deleted-account.model.js';

/** Whom a query is about: the account id and every address it is known by. */
export interface DataSubject {
  userId: string;
  emails: string[];
}

export type PlainRecord = Record<string, unknown>;

/** A session id is a bearer secret: the export names a session by its hash only. */
export function sessionRef(sessionId: string): string {
  return `sha256:${createHash('sha256').update(sessionId, 'utf8').digest('hex')}`;
}

/** Audit detail keys that may carry an address (see the callers of audit.record). */
const AUDIT_EMAIL_KEYS = ['email', 'newEmail', 'oldEmail'] as const;

/**
 * Every record the platform holds about one person, per collection, and the targeted
 * erasures of an account deletion. One place lists where personal data lives: the test
 * tests/integration/components/my-data scans every collection of the database, so a new
 * collection that mentions a person without being listed here makes it fail.
 */
export function personalDataRepository(db: Connection) {
  const m = {
    users: userModel(db),
    memberships: membershipModel(db),
    awards: awardModel(db),
    revocations: revocationModel(db),
    requests: badgeRequestModel(db),
    decisions: requestDecisionModel(db),
    files: requestFileModel(db),
    endorsements: endorsementModel(db),
    profiles: endorserProfileModel(db),
    tokens: oneTimeTokenModel(db),
    tokenUses: tokenUseModel(db),
    failures: signInFailureModel(db),
    audit: auditEventModel(db),
    badgeClasses: badgeClassModel(db),
    issuers: issuerModel(db),
    keys: issuerKeyModel(db),
    frameworks: frameworkModel(db),
    bulkRuns: bulkRunModel(db),
    bulkRows: bulkRowModel(db),
    deleted: deletedAccountModel(db),
  };
  const sessions = () => db.collection<{ _id: string } & PlainRecord>(SESSIONS_COLLECTION);

  const LIMIT = 5000;
  const slots = recipientSlots(db);
  const lean = <T>(q: { lean(): { exec(): Promise<unknown> } }) => q.lean().exec() as Promise<T>;

  async function receivedAwardIds(s: DataSubject): Promise<string[]> {
    const rows = await lean<{ _id: string }[]>(
      m.awards
        .find(
          { $or: [{ recipientUserId: s.userId }, { 'recipient.email': { $in: s.emails } }] },
          { _id: 1 },
        )
        .limit(LIMIT),
    );
    return rows.map((r) => r._id);
  }

  async function requestsOf(userId: string) {
    return lean<{ _id: string; file?: { id: string } }[]>(
      m.requests.find({ requesterUserId: userId }).limit(LIMIT),
    );
  }

  function auditFilter(s: DataSubject, targetIds: string[]) {
    return {
      $or: [
        { actorId: s.userId },
        { targetId: { $in: [s.userId, ...targetIds] } },
        { actorLabel: { $in: s.emails } },
        ...AUDIT_EMAIL_KEYS.map((k) => ({ [`details.${k}`]: { $in: s.emails } })),
      ],
    };
  }

  return {
    /** Every address an account is known by: now, before an address change, on its badges. */
    async emailsOf(userId: string, current: string): Promise<string[]> {
      const emails = new Set([current]);
      const changes = await lean<{ details: Record<string, unknown> }[]>(
        m.audit.find({ action: 'email.changed', targetId: userId }, { details: 1 }).limit(100),
      );
      for (const c of changes) {
        for (const k of ['oldEmail', 'newEmail']) {
          if (typeof c.details?.[k] === 'string') emails.add(c.details[k]);
        }
      }
      const awards = await lean<{ recipient: { email: string } }[]>(
        m.awards.find({ recipientUserId: userId }, { 'recipient.email': 1 }).limit(LIMIT),
      );
      for (const a of awards) emails.add(a.recipient.email);
      // Addresses asked for but not confirmed (the audit and the link name them).
      const asked = await lean<{ email: string }[]>(
        m.tokens.find({ userId, purpose: 'email-change' }, { email: 1 }).limit(100),
      );
      for (const a of asked) emails.add(a.email);
      return [...emails];
    },

    receivedAwardIds,

    /**
     * The records about a person, by collection name (as stored). Secrets and file bytes are
     * left out: the password hash, session ids (replaced by their hash), private keys.
     */
    async collect(s: DataSubject): Promise<Record<string, PlainRecord[]>> {
      const { userId, emails } = s;
      const awardIds = await receivedAwardIds(s);
      const requests = await requestsOf(userId);
      const requestIds = requests.map((r) => r._id);
      const fileIds = requests.flatMap((r) => (r.file ? [r.file.id] : []));
      const tokens = await lean<PlainRecord[]>(
        m.tokens
          .find({ $or: [{ userId }, { email: { $in: emails } }, { createdBy: userId }] })
          .limit(LIMIT),
      );
      const tokenIds = tokens.map((t) => String(t._id));
      const find = (model: { find(f: object, p?: object): never }, filter: object, proj?: object) =>
        lean<PlainRecord[]>(
          (model.find(filter, proj) as { limit(n: number): never }).limit(LIMIT) as never,
        );
      const storedSessions = await sessions()
        .find({ 'session.passport.user': userId })
        .limit(100)
        .toArray();
      return {
        users: await find(m.users as never, { _id: userId }, { passwordHash: 0 }),
        memberships: await find(m.memberships as never, { $or: [{ userId }, { addedBy: userId }] }),
        assertions: await find(m.awards as never, {
          $or: [{ _id: { $in: awardIds } }, { createdBy: userId }],
        }),
        // Their address leads to their awards (recipient-slots.ts): the slots name it.
        award_recipients: (
          await Promise.all(emails.map((email) => slots.slotsOf(email, LIMIT)))
        ).flat() as unknown as PlainRecord[],
        revocations: await find(m.revocations as never, {
          $or: [{ _id: { $in: awardIds } }, { revokedBy: userId }],
        }),
        badge_requests: await find(m.requests as never, { _id: { $in: requestIds } }),
        badge_request_decisions: await find(m.decisions as never, {
          $or: [{ requestId: { $in: requestIds } }, { by: userId }],
        }),
        badge_request_files: await find(m.files as never, { _id: { $in: fileIds } }, { data: 0 }),
        endorsements: await find(m.endorsements as never, {
          $or: [{ endorserUserId: userId }, { 'target.id': { $in: awardIds } }],
        }),
        endorser_profiles: await find(m.profiles as never, { userId }),
        oneTimeTokens: tokens,
        tokenUses: await find(m.tokenUses as never, {
          $or: [{ _id: { $in: tokenIds } }, { by: userId }],
        }),
        signInFailures: await find(m.failures as never, { email: { $in: emails } }),
        auditEvents: await find(m.audit as never, auditFilter(s, [...awardIds, ...requestIds])),
        badge_classes: await find(m.badgeClasses as never, { createdBy: userId }),
        issuers: await find(m.issuers as never, { createdBy: userId }, { image: 0 }),
        issuer_keys: await find(
          m.keys as never,
          { compromisedBy: userId },
          { encryptedPrivateKey: 0 },
        ),
        frameworks: await find(m.frameworks as never, { importedBy: userId }),
        bulk_runs: await find(m.bulkRuns as never, { 'actor.id': userId }),
        bulk_rows: await find(m.bulkRows as never, { email: { $in: emails } }),
        sessions: storedSessions.map(({ _id, ...rest }) => {
          const session = (rest.session ?? {}) as PlainRecord;
          return {
            _id: sessionRef(_id),
            expires: rest.expires,
            meta: session.meta,
          };
        }),
      };
    },

    /** The evidence files of a person's requests, with their bytes (for the export). */
    async evidenceFiles(userId: string) {
      const requests = await requestsOf(userId);
      const ids = requests.flatMap((r) => (r.file ? [r.file.id] : []));
      if (ids.length === 0) return [];
      return lean<{ _id: string; requestId: string; name: string; data: unknown }[]>(
        m.files.find({ _id: { $in: ids } }),
      );
    },

    /** Issuers where the person is the only owner: they must hand them over first. */
    async issuersOnlyOwnedBy(userId: string): Promise<string[]> {
      const mine = await lean<{ issuerId: string; role: string }[]>(
        m.memberships.find({ userId, role: 'owner' }),
      );
      const blocking: string[] = [];
      for (const { issuerId } of mine) {
        const owners = await m.memberships.countDocuments({ issuerId, role: 'owner' }).exec();
        if (owners <= 1) blocking.push(issuerId);
      }
      return blocking;
    },

    /**
     * Keeps what verification needs (the revoked award, its public documents as signed) and
     * forgets who received it: the address and its salt are replaced by values that name
     * nobody (the hosted assertion is rebuilt from them: it stays well-formed).
     */
    async eraseRecipients(awardIds: string[], placeholder: (id: string) => PlainRecord) {
      for (const id of awardIds) {
        await m.awards
          .updateOne(
            { _id: id },
            { $set: placeholder(id), $unset: { recipientUserId: '', holder: '' } },
          )
          .exec();
      }
    },

    /** The slots that led from the person's addresses to their awards (recipient-slots.ts). */
    async forgetAddresses(emails: string[]): Promise<void> {
      for (const email of emails) {
        // Last first: cut off halfway, what is left is still a run from #0 (no gap).
        for (const slot of (await slots.slotsOf(email, LIMIT)).reverse()) {
          await slots.remove(slot._id);
        }
      }
    },

    /** A person's requests go entirely: the request, its decisions and its file. */
    async deleteRequests(userId: string): Promise<number> {
      const requests = await requestsOf(userId);
      const ids = requests.map((r) => r._id);
      const fileIds = requests.flatMap((r) => (r.file ? [r.file.id] : []));
      await m.files.deleteMany({ _id: { $in: fileIds } }).exec();
      await m.decisions.deleteMany({ requestId: { $in: ids } }).exec();
      await m.requests.deleteMany({ _id: { $in: ids } }).exec();
      return ids.length;
    },

    /** What the person wrote as someone else's reviewer or recommender stays, under a pseudonym. */
    async pseudonymiseContributions(s: DataSubject, pseudonym: string): Promise<void> {
      await m.decisions.updateMany({ by: s.userId }, { $set: { byName: pseudonym } }).exec();
      // Recommendations they wrote are signed again under the pseudonym (endorsements use case).
      await m.bulkRuns
        .updateMany({ 'actor.id': s.userId }, { $set: { 'actor.email': pseudonym } })
        .exec();
      await m.bulkRows
        .updateMany({ email: { $in: s.emails } }, { $set: { email: pseudonym } })
        .exec();
    },

    /** Links and sign-in failures of the person (their use records with them). */
    async deleteTokensAndFailures(s: DataSubject): Promise<void> {
      const tokens = await lean<{ _id: string }[]>(
        m.tokens.find({ $or: [{ userId: s.userId }, { email: { $in: s.emails } }] }, { _id: 1 }),
      );
      const ids = tokens.map((t) => t._id);
      await m.tokenUses.deleteMany({ $or: [{ _id: { $in: ids } }, { by: s.userId }] }).exec();
      await m.tokens.deleteMany({ _id: { $in: ids } }).exec();
      await m.failures.deleteMany({ email: { $in: s.emails } }).exec();
    },

    async deleteMemberships(userId: string): Promise<void> {
      await m.memberships.deleteMany({ userId }).exec();
    },

    async deleteUser(userId: string): Promise<void> {
      await m.users.deleteOne({ _id: userId }).exec();
    },

    /** Audit entries stay (who did what), with the person's addresses replaced by the pseudonym. */
    async pseudonymiseAudit(s: DataSubject, pseudonym: string): Promise<void> {
      await m.audit
        .updateMany({ actorLabel: { $in: s.emails } }, { $set: { actorLabel: pseudonym } })
        .exec();
      for (const k of AUDIT_EMAIL_KEYS) {
        await m.audit
          .updateMany(
            { [`details.${k}`]: { $in: s.emails } },
            { $set: { [`details.${k}`]: pseudonym } },
          )
          .exec();
      }
    },

    async recordDeletion(userId: string, pseudonym: string, at: Date): Promise<void> {
      try {
        await m.deleted.create({ _id: userId, pseudonym, deletedAt: at });
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
    },

    // ---- Retention (run by the periodic clean-up) ----------------------------------------

    /** Audit entries of accounts deleted before `before` go, then the deletion record. */
    async purgeDeletedAccountAudit(before: Date): Promise<number> {
      const old = await lean<{ _id: string }[]>(
        m.deleted.find({ deletedAt: { $lt: before } }, { _id: 1 }).limit(200),
      );
      let removed = 0;
      for (const { _id } of old) {
        const res = await m.audit.deleteMany({ $or: [{ actorId: _id }, { targetId: _id }] }).exec();
        removed += res.deletedCount;
        await m.deleted.deleteOne({ _id }).exec();
      }
      return removed;
    },

    /** Files of requests refused before `before`: the bytes go, the request says so. */
    async purgeRefusedEvidence(before: Date): Promise<number> {
      const refused = await lean<{ _id: string; file?: { id: string } }[]>(
        m.requests
          .find({ status: 'rejected', decidedAt: { $lt: before }, file: { $exists: true } })
          .limit(500),
      );
      const withFile = refused.filter((r) => r.file);
      if (withFile.length === 0) return 0;
      const res = await m.files
        .deleteMany({ _id: { $in: withFile.map((r) => r.file!.id) } })
        .exec();
      await m.requests
        .updateMany({ _id: { $in: withFile.map((r) => r._id) } }, { $unset: { file: '' } })
        .exec();
      return res.deletedCount;
    },
  };
}
export type PersonalDataRepository = ReturnType<typeof personalDataRepository>;
