import { formatDate } from '../../libraries/i18n/format-date.js';
import { isLanguage, type Language } from '../../libraries/i18n/i18n.js';
import { sendTemplatedEmail } from '../../libraries/mail/render-email.js';
import type { AwardDoc } from './award.model.js';
import { newAwardId, type AwardsContext, type IssuingContext } from './awards.context.js';

/** Issuing again, with the active keys, a badge whose signing key was compromised. */
export function reissueUseCases(ctx: AwardsContext) {
  const { clock, logger, audit, urls, awards, users } = ctx;
  const { signAward, revoke } = ctx;
  const deps = ctx;

  /** The recipient's email: the same badge, issued again, at a new address. */
  async function sendReissuedEmail(
    ctx: IssuingContext,
    award: AwardDoc,
    old: AwardDoc,
    recipient: { name?: string; language?: string } | null,
  ): Promise<boolean> {
    const lang: Language =
      recipient && isLanguage(recipient.language) ? recipient.language : award.lang;
    return sendTemplatedEmail(
      { mailer: deps.mailer, logger },
      {
        to: award.recipient.email,
        lang,
        template: 'award-reissued',
        data: {
          siteUrl: urls.base,
          name: recipient?.name,
          issuerName: ctx.issuer.name,
          issuerEmail: ctx.issuer.email,
          badgeName: ctx.badgeClass.name,
          url: urls.assertion(award._id),
          oldUrl: urls.assertion(old._id),
          date: formatDate(award.issuedOn, lang),
        },
      },
    );
  }

  /**
   * Issues `old` again with the issuer's active keys (same person, badge version, evidence,
   * story, recommendations, award date and end of validity), emails the person, then revokes
   * `old` with `reason`. An insert-only claim per old award (unique `_id`) makes a second run,
   * a concurrent one or one resumed after a crash issue nothing twice.
   */
  async function reissue(
    ctx: IssuingContext,
    old: AwardDoc,
    reason: string,
  ): Promise<{ award: AwardDoc; created: boolean; mailSent?: boolean }> {
    // The claim (insert-only, `_id` = old id) fixes the new award's id before anything is signed.
    const id = await awards.claimReissue({
      oldId: old._id,
      issuerId: old.issuerId,
      newAwardId: newAwardId(),
      at: clock(),
    });
    let award = await awards.findById(id);
    let created = false;
    let mailSent: boolean | undefined;
    if (!award) {
      const embedded = (() => {
        try {
          const c = JSON.parse(old.ob3.credential) as { endorsement?: unknown };
          return Array.isArray(c.endorsement) ? (c.endorsement as Record<string, unknown>[]) : [];
        } catch {
          return [];
        }
      })();
      // Recommendations embedded at issuance: ids and credentials, in the same order.
      const endorsements = (old.endorsementIds ?? [])
        .map((eid, i) => ({ id: eid, credential: embedded[i] }))
        .filter((e): e is { id: string; credential: Record<string, unknown> } => !!e.credential);
      const recipientUser = await users.findByEmail(old.recipient.email);
      const slot = await deps.allocate(old.issuerId, id);
      const signed = await signAward(ctx, {
        id,
        slot,
        email: old.recipient.email,
        evidence: old.evidence,
        narrative: old.narrative ?? '',
        recipientUser,
        lang: old.lang,
        idempotencyKey: `${old.issuerId}:reissue:${old._id}`,
        endorsements,
        reissue: { of: old._id, issuedOn: old.issuedOn, expires: old.expires },
      });
      // A concurrent run holding the same claim may have inserted it first: one email only.
      if ((await awards.insert(signed)) === 'inserted') {
        award = signed;
        created = true;
        await audit.record({
          action: 'award.reissued',
          actor: ctx.actor,
          target: { type: 'award', id },
          issuerId: old.issuerId,
          ip: ctx.ip,
          details: { badge: ctx.badgeClass.name, email: old.recipient.email, replaces: old._id },
        });
        mailSent = await sendReissuedEmail(ctx, signed, old, recipientUser);
      } else {
        award = await awards.findById(id);
        if (!award) throw new Error(`award ${id} of a re-issue claim could not be inserted`);
        // Whoever inserted it may have been cut off before its slot (idempotent).
        await awards.claimRecipientSlots([award]);
      }
    }
    // The person has the new badge (and its email): the old one says why it ended.
    await revoke(old, reason, ctx.actor, ctx.ip, { notify: false });
    return { award, created, ...(mailSent === undefined ? {} : { mailSent }) };
  }

  return { reissue };
}
