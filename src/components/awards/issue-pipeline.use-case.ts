import { ValidationError } from '../../libraries/errors/app-error.js';
import type { AwardDoc, AwardEvidence } from './award.model.js';
import {
  checkIssueRequest,
  newAwardId,
  type AwardsContext,
  type IssueOutcome,
  type IssueRequest,
  type IssuingContext,
} from './awards.context.js';

/** One award asked of the pipeline. */
export interface PipelineItem {
  request: IssueRequest;
  /** Added to the `award.issued` audit record (a CSV run names itself: `job`). */
  auditDetails?: Record<string, string>;
}

/**
 * What became of one item: issued now; already issued (its idempotency key or its reserved
 * id was taken: by an earlier submission, another file, or another process); or refused
 * (the request's fields, or an unexpected error while signing).
 */
export type PipelineResult =
  | { status: 'issued'; award: AwardDoc; mailSent: boolean }
  | { status: 'already'; awardId: string; award: AwardDoc | null }
  | { status: 'failed'; error: Error };

const MAIL_CONCURRENCY = 8;

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(runners);
}

/**
 * The one issuing pipeline, for one award (the form, a request's review) or a batch of a CSV
 * run: prepare → check → sign → store → announce. Tally, audit and emails follow the same rules
 * whatever the number of awards.
 */
export function issuePipelineUseCases(ctx: AwardsContext) {
  const { awards, users, audit, allocate } = ctx;

  async function issueMany(
    issuing: IssuingContext,
    items: PipelineItem[],
    options: {
      /**
       * Also email the earlier awards that were counted but whose email never went out (an
       * attempt cut off in between). Only for a caller that is the sole one finishing these
       * awards (a CSV run: one runner per run); a form sent twice at once must not email twice.
       */
      finishAnnouncements?: boolean;
    } = {},
  ): Promise<PipelineResult[]> {
    const { issuer, badgeClass } = issuing;
    const results: (PipelineResult | undefined)[] = new Array(items.length);

    // Prepare and check: the ids (reserved or new), the scoped idempotency keys, the fields.
    const checked: {
      i: number;
      id: string;
      idempotencyKey: string | undefined;
      email: string;
      evidence: AwardEvidence[];
      narrative: string;
    }[] = [];
    for (const [i, { request }] of items.entries()) {
      try {
        const fields = checkIssueRequest(badgeClass, request);
        const id =
          request.awardId && /^[A-Za-z0-9_-]{16}$/.test(request.awardId)
            ? request.awardId
            : newAwardId();
        const idempotencyKey = request.idempotencyKey
          ? `${issuer._id}:${request.idempotencyKey}`
          : undefined;
        checked.push({ i, id, idempotencyKey, ...fields });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        results[i] = { status: 'failed', error: err };
      }
    }

    // Accounts and status list slots for the whole batch at once.
    const accounts = new Map(
      (await users.findByEmails(checked.map((c) => c.email))).map((u) => [u.email, u]),
    );
    const slots = checked.length
      ? await allocate.allocateMany(
          issuer._id,
          checked.map((c) => c.id),
        )
      : [];

    // Sign (CPU: the signing threads work on the batch at the same time).
    const signed = await Promise.all(
      checked.map(async (c, k) => {
        const { request } = items[c.i]!;
        try {
          return await ctx.signAward(issuing, {
            id: c.id,
            slot: slots[k]!,
            email: c.email,
            evidence: c.evidence,
            narrative: c.narrative,
            recipientUser: accounts.get(c.email) ?? null,
            lang: request.lang,
            idempotencyKey: c.idempotencyKey,
            endorsements: request.endorsements,
          });
        } catch (err) {
          ctx.logger.warn({ err: (err as Error).message }, 'award could not be signed');
          results[c.i] = { status: 'failed', error: err as Error };
          return null;
        }
      }),
    );
    const ready = checked
      .map((c, k) => ({ c, award: signed[k] }))
      .filter((x): x is { c: (typeof checked)[number]; award: AwardDoc } => !!x.award);

    // Store at once (unordered): a taken id or idempotency key means it was issued before,
    // by whoever got there first.
    const refused = await awards.insertMany(ready.map((x) => x.award));
    const stored: { c: (typeof checked)[number]; award: AwardDoc }[] = [];
    const earlierOnes: { c: (typeof checked)[number]; award: AwardDoc }[] = [];
    for (const x of ready) {
      if (!refused.has(x.award._id)) {
        stored.push(x);
        continue;
      }
      const earlier =
        (x.c.idempotencyKey ? await awards.findByIdempotencyKey(x.c.idempotencyKey) : null) ??
        (await awards.findById(x.award._id));
      if (!earlier) throw new Error('award id collision'); // 96 random bits: never in practice
      earlierOnes.push({ c: x.c, award: earlier });
    }
    // An earlier award not yet counted was stored by an attempt cut off before it journaled,
    // counted and announced it (the database or the process died in between): this attempt
    // does the rest. One already counted was finished: nothing more.
    const counted = await awards.tallied(earlierOnes.map((x) => x.award._id));
    const announced = options.finishAnnouncements
      ? await awards.announced([...counted])
      : new Set(counted);
    const owed: typeof stored = [];
    for (const x of earlierOnes) {
      if (!counted.has(x.award._id)) stored.push(x);
      else if (!announced.has(x.award._id)) owed.push(x);
      else results[x.c.i] = { status: 'already', awardId: x.award._id, award: x.award };
    }

    // Each award reachable from its recipient's address (recipient-slots.ts), before the
    // count: a retry of an attempt cut off here claims it again (idempotent).
    await awards.claimRecipientSlots(stored.map((x) => x.award));

    // Journal, then count, then announce. The journal line is written once whatever the
    // retries (its key); the count is an insert-only claim, so of two attempts finishing the
    // same award only one announces it. Cut off between the two, a retry journals nothing
    // twice and still counts and announces.
    await audit.recordMany(
      stored.map(({ c, award }) => ({
        action: 'award.issued' as const,
        actor: issuing.actor,
        target: { type: 'award', id: award._id },
        issuerId: issuer._id,
        ip: issuing.ip,
        details: {
          badge: badgeClass.name,
          email: award.recipient.email,
          ...items[c.i]!.auditDetails,
        },
        onceKey: `award.issued:${award._id}`,
      })),
    );
    const mine = new Set(await awards.ensureTallied(stored.map((x) => x.award)));
    const toAnnounce = [...owed];
    for (const x of stored) {
      if (mine.has(x.award._id)) toAnnounce.push(x);
      else results[x.c.i] = { status: 'already', awardId: x.award._id, award: x.award };
    }

    // Announce: one email each, in the person's language.
    const sent: string[] = [];
    await eachLimited(toAnnounce, ctx.mailConcurrency ?? MAIL_CONCURRENCY, async ({ c, award }) => {
      const mailSent = await ctx.sendAwardEmail(issuing, award, accounts.get(c.email)?.name);
      if (mailSent) sent.push(award._id);
      results[c.i] = { status: 'issued', award, mailSent };
    });
    await awards.markAnnounced(sent);
    return results as PipelineResult[];
  }

  /** Issues one badge to one person in a prepared context: a pipeline of one. */
  async function issueWithContext(
    issuing: IssuingContext,
    request: IssueRequest,
  ): Promise<IssueOutcome> {
    const [result] = await issueMany(issuing, [{ request }]);
    if (result!.status === 'failed') throw result!.error;
    if (result!.status === 'already') {
      if (!result!.award) throw new Error(`award ${result!.awardId} was issued elsewhere`);
      return { award: result!.award, created: false };
    }
    return { award: result!.award, created: true, mailSent: result!.mailSent };
  }

  return {
    issueMany,
    issueWithContext,

    /** One badge to one email, from the coordinator form. */
    async issueAward(
      input: IssueRequest & {
        actor: IssuingContext['actor'];
        ip: string;
        issuerId: string;
        badgeClassId: string;
      },
    ): Promise<IssueOutcome> {
      const issuing = await ctx.createIssuingContext(input);
      return issueWithContext(issuing, input);
    },
  };
}
