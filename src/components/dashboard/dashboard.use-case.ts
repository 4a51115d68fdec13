import { authorize, type Principal } from '../../libraries/authz/authorization.js';
import { NotFoundError, ValidationError } from '../../libraries/errors/app-error.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { BadgeClassDoc } from '../achievements/badge-class.model.js';
import type { BadgeClassRepository } from '../achievements/badge-class.repository.js';
import type { AuditEventDoc } from '../audit/audit.model.js';
import type { Audit } from '../audit/audit.use-case.js';
import { AWARD_LIMITS, type Actor, type AwardsUseCases } from '../awards/awards.use-case.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import type { RequestsRepository } from '../requests/requests.repository.js';
import { searchText } from '../requests/requests.repository.js';
import type { AwardRow, DashboardRepository } from './dashboard.repository.js';
import { str } from '../../libraries/http/params.js';

export const DIRECTORY_PAGE_SIZE = 20;
export const AWARDS_PAGE_SIZE = 50;
export const ACTIVITY_PAGE_SIZE = 10;
/** At most this many awards revoked by one bulk revocation. */
export const BULK_REVOKE_MAX = 200;
/** Aggregates are reused while nothing was issued or revoked, at most this long. */
const CACHE_MS = 5 * 60_000;

/** A competency as badges align on it: `<frameworkId>:<code>`. */
export function competencyKey(a: { frameworkId: string; targetCode: string }): string {
  return `${a.frameworkId}:${a.targetCode}`;
}

export interface CompetencyCount {
  key: string;
  code: string;
  name: string;
  framework: string;
  url: string;
  /** Active awards of the badges aligned on it. */
  active: number;
  badges: number;
}

export function dashboardUseCases(deps: {
  clock: () => Date;
  repo: DashboardRepository;
  requests: RequestsRepository;
  badgeClasses: BadgeClassRepository;
  issuers: IssuerRepository;
  users: UserRepository;
  audit: Audit;
  awards: AwardsUseCases;
}) {
  const { clock, repo, badgeClasses, issuers, users } = deps;
  const cache = new Map<string, { version: string; at: number; value: unknown }>();

  /** A per-issuer aggregate, computed again only after an award or a revocation. */
  async function cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const version = await repo.version();
    const hit = cache.get(key);
    const now = clock().getTime();
    if (hit && hit.version === version && now - hit.at < CACHE_MS) return hit.value as T;
    const value = await compute();
    cache.set(key, { version, at: now, value });
    if (cache.size > 500) cache.delete(cache.keys().next().value as string);
    return value;
  }

  const countsByBadge = (issuerId: string) =>
    cached(`badges:${issuerId}`, () => repo.countsByBadge(issuerId));

  function competencies(
    badges: BadgeClassDoc[],
    counts: Map<string, { issued: number; revoked: number }>,
  ): CompetencyCount[] {
    const byKey = new Map<string, CompetencyCount>();
    for (const b of badges) {
      const c = counts.get(b._id);
      const active = c ? c.issued - c.revoked : 0;
      for (const a of b.alignments) {
        const key = competencyKey(a);
        const row = byKey.get(key) ?? {
          key,
          code: a.targetCode,
          name: a.targetName,
          framework: a.targetFramework,
          url: a.targetUrl,
          active: 0,
          badges: 0,
        };
        row.active += active;
        row.badges += 1;
        byKey.set(key, row);
      }
    }
    return [...byKey.values()].sort(
      (x, y) =>
        x.framework.localeCompare(y.framework, 'fr') ||
        x.code.localeCompare(y.code, 'fr', { numeric: true }),
    );
  }

  /** Checks a bulk revocation before it is confirmed: the awards chosen and the reason. */
  async function prepareRevocation(
    actor: Principal,
    issuerId: string,
    input: { awardIds: unknown; reason: unknown },
  ): Promise<{ awards: AwardRow[]; reason: string }> {
    authorize(actor, 'award.revoke', { issuerId });
    const ids = [
      ...new Set(
        (Array.isArray(input.awardIds) ? input.awardIds : [input.awardIds]).filter(
          (x): x is string => typeof x === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(x),
        ),
      ),
    ];
    const reason = str(input.reason).trim().replace(/\s+/g, ' ');
    const errors = [];
    if (ids.length === 0) errors.push({ field: 'awardIds', messageKey: 'bulkRevoke.errors.none' });
    if (ids.length > BULK_REVOKE_MAX) {
      errors.push({
        field: 'awardIds',
        messageKey: 'bulkRevoke.errors.tooMany',
        params: { max: BULK_REVOKE_MAX },
      });
    }
    if (!reason) errors.push({ field: 'reason', messageKey: 'awards.errors.reasonRequired' });
    else if (reason.length > AWARD_LIMITS.reason) {
      errors.push({
        field: 'reason',
        messageKey: 'awards.errors.tooLong',
        params: { max: AWARD_LIMITS.reason },
      });
    }
    if (errors.length) throw new ValidationError(errors);
    const awards = (await repo.byIds(issuerId, ids)).filter((a) => !a.revoked);
    if (awards.length === 0) {
      throw new ValidationError([{ field: 'awardIds', messageKey: 'bulkRevoke.errors.none' }]);
    }
    return { awards, reason };
  }

  async function issuerOrThrow(issuerId: string) {
    const issuer = await issuers.findById(issuerId);
    if (!issuer) throw new NotFoundError();
    return issuer;
  }

  return {
    /**
     * The coordinators' home for an issuer: awards by badge and by competency, open requests
     * (the oldest first), and recent activity from the audit log (paginated by cursor).
     */
    async overview(actor: Principal, issuerId: string, options: { before?: string } = {}) {
      authorize(actor, 'issuer.view', { issuerId });
      const issuer = await issuerOrThrow(issuerId);
      const badges = await badgeClasses.listByIssuer(issuerId);
      const [counts, pending, returned, oldest, activity] = await Promise.all([
        countsByBadge(issuerId),
        deps.requests.countByStatus(issuerId, 'submitted'),
        deps.requests.countByStatus(issuerId, 'returned'),
        deps.requests.oldestOpen(issuerId, 5),
        deps.audit.page(
          { issuerIds: [issuerId], ...(options.before ? { before: options.before } : {}) },
          ACTIVITY_PAGE_SIZE,
        ),
      ]);
      const byBadge = badges.map((b) => {
        const c = counts.get(b._id) ?? { issued: 0, revoked: 0 };
        return { badge: b, issued: c.issued, revoked: c.revoked, active: c.issued - c.revoked };
      });
      const totals = byBadge.reduce(
        (t, r) => ({ issued: t.issued + r.issued, revoked: t.revoked + r.revoked }),
        { issued: 0, revoked: 0 },
      );
      return {
        issuer,
        byBadge,
        totals,
        byCompetency: competencies(badges, counts),
        requests: { pending, returned, oldest },
        activity: activity as { events: AuditEventDoc[]; next?: string },
        badgeNames: new Map(badges.map((b) => [b._id, b.name])),
      };
    },

    /**
     * The issuer's mediators (members, all roles), searchable by name or address, by badge
     * held and by competency (through the badges aligned on it). Memberships are bounded
     * (1000); one page at a time.
     */
    async directory(
      actor: Principal,
      issuerId: string,
      query: { q?: string; badge?: string; competency?: string; page?: number },
    ) {
      authorize(actor, 'issuer.view', { issuerId });
      const issuer = await issuerOrThrow(issuerId);
      const badges = await badgeClasses.listByIssuer(issuerId);
      const memberships = await issuers.membershipsOfIssuer(issuerId);
      const people = new Map(
        (await users.findByIds(memberships.map((m) => m.userId))).map((u) => [u._id, u]),
      );
      let rows = memberships.flatMap((m) => {
        const u = people.get(m.userId);
        return u ? [{ userId: u._id, name: u.name, email: u.email, role: m.role }] : [];
      });
      const q = searchText(str(query.q)).slice(0, 100);
      if (q) rows = rows.filter((r) => searchText(`${r.name} ${r.email}`).includes(q));
      const badgeId = badges.some((b) => b._id === query.badge) ? query.badge! : '';
      const competency = str(query.competency);
      const wanted = badgeId
        ? [badgeId]
        : competency
          ? badges
              .filter((b) => b.alignments.some((a) => competencyKey(a) === competency))
              .map((b) => b._id)
          : undefined;
      if (wanted) {
        const holders = await repo.holdersOf(issuerId, wanted);
        rows = rows.filter((r) => holders.has(r.email));
      }
      rows.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
      const pages = Math.max(1, Math.ceil(rows.length / DIRECTORY_PAGE_SIZE));
      const page = Math.min(pages, Math.max(1, Math.floor(query.page ?? 1) || 1));
      const shown = rows.slice((page - 1) * DIRECTORY_PAGE_SIZE, page * DIRECTORY_PAGE_SIZE);
      const held = await repo.activeOfRecipients(
        issuerId,
        shown.map((r) => r.email),
      );
      const names = new Map(badges.map((b) => [b._id, b.name]));
      const badgesOf = new Map<string, { id: string; name: string }[]>();
      for (const a of held) {
        const list = badgesOf.get(a.recipient.email) ?? [];
        list.push({ id: a._id, name: names.get(a.badgeClassId) ?? a.badgeClassId });
        badgesOf.set(a.recipient.email, list);
      }
      const competencyOptions = competencies(badges, new Map());
      return {
        issuer,
        badges,
        competencies: competencyOptions,
        values: { q: str(query.q), badge: badgeId, competency },
        rows: shown.map((r) => ({ ...r, awards: badgesOf.get(r.email) ?? [] })),
        total: rows.length,
        page,
        pages,
      };
    },

    /** One page of a badge's awards (for the list and the bulk revocation). */
    async awardsOfBadge(
      actor: Principal,
      issuerId: string,
      badgeClassId: string,
      query: { status?: string; email?: string; page?: number },
    ) {
      authorize(actor, 'issuer.view', { issuerId });
      const badgeClass = await badgeClasses.findById(badgeClassId);
      if (!badgeClass || badgeClass.issuerId !== issuerId) throw new NotFoundError();
      const status =
        query.status === 'revoques' ? 'revoques' : query.status === 'tous' ? 'tous' : 'actifs';
      const { rows, total } = await repo.pageOfBadge({
        issuerId,
        badgeClassId,
        revoked: status === 'tous' ? undefined : status === 'revoques',
        email: str(query.email).trim().slice(0, 100) || undefined,
        page: Math.max(1, Math.min(10_000, Math.floor(query.page ?? 1) || 1)),
        limit: AWARDS_PAGE_SIZE,
      });
      const page = Math.max(1, Math.floor(query.page ?? 1) || 1);
      return {
        badgeClass,
        issuer: await issuerOrThrow(issuerId),
        status,
        rows,
        total,
        page,
        pages: Math.max(1, Math.ceil(total / AWARDS_PAGE_SIZE)),
      };
    },

    prepareRevocation,

    /**
     * Revokes each award with the same reason, through the awards use case (its revocation
     * record flips the OB 2.0 list and the OB 3.0 status at once, writes the audit and tells
     * the recipient). Revoking one twice changes nothing.
     */
    async revokeMany(
      actor: Actor,
      ip: string,
      issuerId: string,
      input: { awardIds: unknown; reason: unknown },
    ): Promise<{ revoked: number; already: number; mailFailed: number }> {
      const { awards, reason } = await prepareRevocation(actor, issuerId, input);
      let revoked = 0;
      let already = 0;
      let mailFailed = 0;
      for (const a of awards) {
        const result = await deps.awards.revokeAward({
          actor,
          ip,
          issuerId,
          awardId: a._id,
          reason,
        });
        if (result.revoked) revoked++;
        else already++;
        if (result.mailSent === false) mailFailed++;
      }
      return { revoked, already, mailFailed };
    },

    /** A person's badges (by their account's address) with their badge classes and issuers. */
    async badgesOf(email: string) {
      const awards = await repo.ofRecipient(email);
      const classIds = [...new Set(awards.map((a) => a.badgeClassId))];
      const classes = new Map<string, BadgeClassDoc>();
      for (const id of classIds) {
        const b = await badgeClasses.findById(id);
        if (b) classes.set(id, b);
      }
      const issuerList = await issuers.findByIds([...new Set(awards.map((a) => a.issuerId))]);
      return {
        awards,
        classes,
        issuerNames: new Map(issuerList.map((i) => [i._id, i.name])),
      };
    },
  };
}
export type DashboardUseCases = ReturnType<typeof dashboardUseCases>;
