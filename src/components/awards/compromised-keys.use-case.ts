import { authorize } from '../../libraries/authz/authorization.js';
import { ConflictError, NotFoundError, ValidationError } from '../../libraries/errors/app-error.js';
import type { BadgeClassRepository } from '../achievements/badge-class.repository.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { IssuerDoc } from '../issuers/issuer.model.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import type { KeyService, PublicKeyInfo } from '../keys/keys.use-case.js';
import type { AwardDoc } from './award.model.js';
import type { AwardsRepository } from './awards.repository.js';
import type { Actor, AwardsUseCases, IssuingContext } from './awards.use-case.js';
import type { PublicUrls } from './public-urls.js';
import { signingKeyIdsOf } from './signing-keys.js';
import { str } from '../../libraries/http/params.js';

/** The public revocation reason of an award issued again because its key was compromised. */
export const COMPROMISE_REVOCATION_REASON = 'Clé de signature compromise — badge délivré à nouveau';
export const KEY_COMPROMISE_LIMITS = { reason: 500, perPage: 20 } as const;

/** One award signed with a compromised key, as the owner's list shows it. */
export interface AffectedAward {
  id: string;
  badgeClassId: string;
  email: string;
  issuedOn: Date;
  expires?: Date | undefined;
  revoked: boolean;
  revocationReason?: string | undefined;
}

export interface ReissueReport {
  /** Awards signed with the key (at the time of the run). */
  affected: number;
  reissued: number;
  /** Issued again by an earlier run (nothing done but making sure the old one is revoked). */
  already: number;
  /** Revoked for another reason before: not issued again. */
  skippedRevoked: number;
  /** Past their end of validity: not issued again (a new one could not be valid either). */
  skippedExpired: number;
  mailFailed: number;
}

/**
 * Compromised keys: the issuer's owner (or an administrator) declares a key
 * stolen or leaked; it leaves every public document at once (public-documents.ts), badges
 * signed with it stop verifying, and one action issues those badges again with the active
 * keys and revokes the old ones.
 */
export function compromisedKeysUseCases(deps: {
  clock: () => Date;
  audit: Audit;
  urls: PublicUrls;
  keys: KeyService;
  awards: AwardsUseCases;
  awardsRepo: AwardsRepository;
  issuers: IssuerRepository;
  badgeClasses: BadgeClassRepository;
  changes?: { bump(): void };
}) {
  const { clock, audit, urls, keys, awardsRepo, issuers } = deps;

  async function getIssuer(issuerId: string): Promise<IssuerDoc> {
    const issuer = await issuers.findById(issuerId);
    if (!issuer) throw new NotFoundError();
    return issuer;
  }

  async function getKey(issuerId: string, keyId: string): Promise<PublicKeyInfo> {
    const key = await keys.findPublicKey(keyId);
    if (!key || key.issuerId !== issuerId) throw new NotFoundError();
    return key;
  }

  /** Ids of the issuer's awards carrying a signature of `keyId`, newest first. */
  async function affectedAwards(issuerId: string, keyId: string): Promise<AffectedAward[]> {
    const found: AffectedAward[] = [];
    for await (const award of awardsRepo.maybeSignedWith(issuerId, keyId)) {
      if (!signingKeyIdsOf(award, urls).has(keyId)) continue;
      found.push({
        id: award._id,
        badgeClassId: award.badgeClassId,
        email: award.recipient.email,
        issuedOn: award.issuedOn,
        expires: award.expires,
        revoked: award.revoked,
        revocationReason: award.revocationReason,
      });
    }
    return found;
  }

  return {
    /** The issuer's keys, compromised ones included (public parts only). */
    async listKeys(actor: Actor, issuerId: string) {
      authorize(actor, 'issuer.compromiseKeys', { issuerId });
      const issuer = await getIssuer(issuerId);
      return { issuer, keys: await keys.listPublicKeys(issuerId) };
    },

    async getKey(actor: Actor, issuerId: string, keyId: string) {
      authorize(actor, 'issuer.compromiseKeys', { issuerId });
      const issuer = await getIssuer(issuerId);
      return { issuer, key: await getKey(issuerId, keyId) };
    },

    /**
     * Declares the key compromised (a reason is required). A new key of its type is created
     * when it was the active one. Declaring it twice changes nothing (`already`).
     */
    async declareCompromised(input: {
      actor: Actor;
      ip: string;
      issuerId: string;
      keyId: string;
      reason: unknown;
    }): Promise<{ key: PublicKeyInfo; replacement?: PublicKeyInfo; already: boolean }> {
      authorize(input.actor, 'issuer.compromiseKeys', { issuerId: input.issuerId });
      await getIssuer(input.issuerId);
      await getKey(input.issuerId, input.keyId);
      const reason = str(input.reason).trim().replace(/\s+/g, ' ');
      if (!reason) {
        throw new ValidationError([{ field: 'reason', messageKey: 'keys.errors.reasonRequired' }]);
      }
      if (reason.length > KEY_COMPROMISE_LIMITS.reason) {
        throw new ValidationError([
          {
            field: 'reason',
            messageKey: 'keys.errors.tooLong',
            params: { max: KEY_COMPROMISE_LIMITS.reason },
          },
        ]);
      }
      const result = await keys.compromiseKey(input.issuerId, input.keyId, {
        by: input.actor.id,
        reason,
      });
      if (result.already) return result;
      // Our own badges' cached verification results must be computed again.
      deps.changes?.bump();
      await audit.record({
        action: 'key.compromised',
        actor: input.actor,
        target: { type: 'key', id: input.keyId },
        issuerId: input.issuerId,
        ip: input.ip,
        details: {
          reason,
          type: result.key.type,
          wasActive: result.replacement !== undefined,
          replacement: result.replacement?._id,
        },
      });
      return result;
    },

    /** The awards signed with the key, `perPage` at a time (page 1 first). */
    async affected(
      actor: Actor,
      issuerId: string,
      keyId: string,
      page: number,
    ): Promise<{
      issuer: IssuerDoc;
      key: PublicKeyInfo;
      total: number;
      /** Not yet issued again (neither revoked nor past their end of validity). */
      pending: number;
      page: number;
      pages: number;
      awards: AffectedAward[];
    }> {
      authorize(actor, 'issuer.compromiseKeys', { issuerId });
      const issuer = await getIssuer(issuerId);
      const key = await getKey(issuerId, keyId);
      const all = await affectedAwards(issuerId, keyId);
      const now = clock();
      const pending = all.filter((a) => !a.revoked && !(a.expires && a.expires <= now)).length;
      const perPage = KEY_COMPROMISE_LIMITS.perPage;
      const pages = Math.max(1, Math.ceil(all.length / perPage));
      const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
      return {
        issuer,
        key,
        total: all.length,
        pending,
        page: current,
        pages,
        awards: all.slice((current - 1) * perPage, current * perPage),
      };
    },

    /**
     * Issues every affected award again with the active keys, emails each person and revokes
     * the old award with COMPROMISE_REVOCATION_REASON. Safe to run again: an award is issued
     * again at most once (insert-only idempotency key under a unique index).
     */
    async reissueAffected(input: {
      actor: Actor;
      ip: string;
      issuerId: string;
      keyId: string;
    }): Promise<ReissueReport> {
      authorize(input.actor, 'issuer.compromiseKeys', { issuerId: input.issuerId });
      const issuer = await getIssuer(input.issuerId);
      const key = await getKey(input.issuerId, input.keyId);
      // Only a compromised key's badges: the new ones must not be signed with it.
      if (key.status !== 'compromised')
        throw new ConflictError({ messageKey: 'keys.errors.notCompromised' });
      const report: ReissueReport = {
        affected: 0,
        reissued: 0,
        already: 0,
        skippedRevoked: 0,
        skippedExpired: 0,
        mailFailed: 0,
      };
      // Ids first: the run inserts and updates awards of the same issuer.
      const ids = (await affectedAwards(issuer._id, key._id)).map((a) => a.id);
      report.affected = ids.length;
      const contexts = new Map<string, Promise<IssuingContext | null>>();
      const contextOf = (badgeClassId: string) => {
        let ctx = contexts.get(badgeClassId);
        if (!ctx) {
          ctx = deps.badgeClasses
            .findById(badgeClassId)
            .then((badgeClass) =>
              badgeClass && badgeClass.issuerId === issuer._id
                ? deps.awards.contextFor(input.actor, input.ip, issuer, badgeClass)
                : null,
            );
          contexts.set(badgeClassId, ctx);
        }
        return ctx;
      };
      for (const id of ids) {
        const old: AwardDoc | null = await awardsRepo.findById(id);
        if (!old) continue;
        const done = await awardsRepo.reissueOf(old._id);
        if (!done) {
          if (old.revoked || (await awardsRepo.findRevocation(old._id))) {
            report.skippedRevoked++;
            continue;
          }
          if (old.expires && old.expires <= clock()) {
            report.skippedExpired++;
            continue;
          }
        }
        const ctx = await contextOf(old.badgeClassId);
        if (!ctx) continue;
        const outcome = await deps.awards.reissue(ctx, old, COMPROMISE_REVOCATION_REASON);
        if (outcome.created) report.reissued++;
        else report.already++;
        if (outcome.mailSent === false) report.mailFailed++;
      }
      if (report.reissued > 0) {
        await audit.record({
          action: 'key.awardsReissued',
          actor: input.actor,
          target: { type: 'key', id: key._id },
          issuerId: issuer._id,
          ip: input.ip,
          details: {
            reissued: report.reissued,
            already: report.already,
            skippedRevoked: report.skippedRevoked,
            skippedExpired: report.skippedExpired,
          },
        });
      }
      return report;
    },
  };
}
export type CompromisedKeysUseCases = ReturnType<typeof compromisedKeysUseCases>;
