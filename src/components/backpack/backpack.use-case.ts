import { normaliseEmail } from '../../core/index.js';
import type { Principal } from '../../libraries/authz/authorization.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../../libraries/errors/app-error.js';
import { str } from '../../libraries/http/params.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { BadgeClassDoc } from '../achievements/badge-class.model.js';
import type { BadgeClassRepository } from '../achievements/badge-class.repository.js';
import type { AwardsUseCases } from '../awards/awards.use-case.js';
import type { PublicUrls } from '../awards/public-urls.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import type { RequestsUseCases } from '../requests/requests.use-case.js';
import type { VerificationOutcome } from '../verification/verification.use-case.js';
import type { BackpackAward, BackpackRepository } from './backpack.repository.js';
import type { PublicProfileDoc } from './backpack.model.js';
import { slugify } from '../../libraries/text/slug.js';

export const PROFILE_LIMITS = { bio: 500, slugMin: 3, slugMax: 40, badges: 50 } as const;
const DAY_MS = 24 * 3600_000;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Words that read like pages of the platform, not like a person. */
const RESERVED_SLUGS = new Set([
  'admin',
  'administrateur',
  'api',
  'aide',
  'badges',
  'connexion',
  'coop-badges',
  'moderation',
  'nouveau',
  'profil',
  'profils',
  'static',
  'support',
  'verifier',
]);

export type BackpackActor = Principal & { email: string; name: string };
export type NameChoice = 'none' | 'short' | 'full';

/** A badge's state as its holder reads it: valid, past its end of validity, or revoked. */
export type AwardStatus =
  | { kind: 'valid' }
  | { kind: 'expired'; at: Date }
  | { kind: 'revoked'; at?: Date | undefined; reason?: string | undefined };

export interface BackpackItem {
  award: BackpackAward;
  badgeClass: BadgeClassDoc | undefined;
  issuerName: string;
  status: AwardStatus;
  accepted: boolean;
  hidden: boolean;
  /** The name shown with this badge (as signed in its OB 3.0 credential), if any. */
  displayName?: string | undefined;
}

/** Badges of one framework competency (or of none: `key` = ''). */
export interface CompetencyGroup {
  key: string;
  framework?: string;
  code?: string;
  name?: string;
  url?: string;
  items: BackpackItem[];
}

/**
 * "Karim B." (first name, initial of the last name) or the full name, as the holder chooses.
 * A single word stays as it is.
 */
export function displayNameOf(name: string, style: 'short' | 'full'): string {
  const clean = name.trim().replace(/\s+/g, ' ');
  const parts = clean.split(' ');
  if (style === 'full' || parts.length < 2) return clean;
  const last = parts[parts.length - 1]!;
  return `${parts[0]} ${last.charAt(0).toLocaleUpperCase('fr')}.`;
}

/** "Karim Benali-Durand" → "karim-benali-durand": lower case, no accents, dashes. */
export const profileSlug = (text: string): string => slugify(text, PROFILE_LIMITS.slugMax);

/** The message key of what is wrong with an address, or undefined when it is well formed. */
export function slugProblem(slug: string): string | undefined {
  if (!slug) return 'profile.errors.slugRequired';
  if (slug.length < PROFILE_LIMITS.slugMin || slug.length > PROFILE_LIMITS.slugMax)
    return 'profile.errors.slugLength';
  if (!SLUG.test(slug)) return 'profile.errors.slugFormat';
  if (RESERVED_SLUGS.has(slug)) return 'profile.errors.slugReserved';
  return undefined;
}

/** Plain text: no control characters but line breaks, Windows line ends made Unix ones. */
function plainText(value: unknown): string {
  return (
    str(value)
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '')
      .trim()
  );
}

function list(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is string => typeof v === 'string',
  );
}

export interface BackpackDeps {
  clock: () => Date;
  repo: BackpackRepository;
  awards: Pick<AwardsUseCases, 'signHolderName'>;
  /** Pending requests are the requests component's data: read through its use cases. */
  requests: Pick<RequestsUseCases, 'mine' | 'awaitingRecommendation' | 'catalogueFor'>;
  badgeClasses: Pick<BadgeClassRepository, 'findById'>;
  issuers: Pick<IssuerRepository, 'findByIds'>;
  users: Pick<UserRepository, 'findById'>;
  urls: PublicUrls;
  /** How long a released profile address stays reserved to its last owner. */
  slugReserveDays: number;
  /** The live verification of one of our awards (its hosted assertion URL), as /verifier does. */
  verifyAward: (assertionUrl: string) => Promise<VerificationOutcome>;
}

/**
 * The mediator's space: their badges with their status (accept, hide, show the name), grouped
 * by the framework competencies they recognise, and their public profile.
 */
export function backpackUseCases(deps: BackpackDeps) {
  const { clock, repo, urls } = deps;

  function ownedBy(
    award: Pick<BackpackAward, 'recipient' | 'recipientUserId'>,
    user: { id: string; email: string },
  ) {
    return (
      award.recipientUserId === user.id ||
      normaliseEmail(award.recipient.email) === normaliseEmail(user.email)
    );
  }

  async function ownAward(actor: BackpackActor, awardId: string): Promise<BackpackAward> {
    const award = await repo.findAward(awardId);
    if (!award || !ownedBy(award, actor)) throw new NotFoundError();
    return award;
  }

  function statusOf(
    award: BackpackAward,
    revocation: { reason: string; revokedAt: Date } | undefined,
    now: Date,
  ): AwardStatus {
    if (revocation || award.revoked) {
      return {
        kind: 'revoked',
        at: revocation?.revokedAt ?? award.revokedAt,
        reason: revocation?.reason ?? award.revocationReason,
      };
    }
    if (award.expires && award.expires.getTime() <= now.getTime()) {
      return { kind: 'expired', at: award.expires };
    }
    return { kind: 'valid' };
  }

  /** Awards with their badge classes, issuers and live status (revocation records). */
  async function itemsOf(awards: BackpackAward[]): Promise<BackpackItem[]> {
    const now = clock();
    const revocations = await repo.revocationsOf(awards.map((a) => a._id));
    const classes = new Map<string, BadgeClassDoc | undefined>();
    for (const id of new Set(awards.map((a) => a.badgeClassId))) {
      classes.set(id, (await deps.badgeClasses.findById(id)) ?? undefined);
    }
    const issuers = await deps.issuers.findByIds([...new Set(awards.map((a) => a.issuerId))]);
    const issuerNames = new Map(issuers.map((i) => [i._id, i.name]));
    return awards.map((award) => ({
      award,
      badgeClass: classes.get(award.badgeClassId),
      issuerName: issuerNames.get(award.issuerId) ?? award.issuerId,
      status: statusOf(award, revocations.get(award._id), now),
      accepted: award.holder?.acceptedAt !== undefined,
      hidden: award.holder?.hidden === true,
      displayName: award.holder?.displayName,
    }));
  }

  /** One group per framework competency a badge is aligned on; unaligned badges last. */
  function groupByCompetency(items: BackpackItem[]): CompetencyGroup[] {
    const groups = new Map<string, CompetencyGroup>();
    const other: CompetencyGroup = { key: '', items: [] };
    for (const item of items) {
      const alignments = item.badgeClass?.alignments ?? [];
      if (alignments.length === 0) other.items.push(item);
      for (const a of alignments) {
        const key = `${a.frameworkId}:${a.targetCode}`;
        let group = groups.get(key);
        if (!group) {
          group = {
            key,
            framework: a.targetFramework,
            code: a.targetCode,
            name: a.targetName,
            url: a.targetUrl,
            items: [],
          };
          groups.set(key, group);
        }
        group.items.push(item);
      }
    }
    const sorted = [...groups.values()].sort(
      (x, y) =>
        (x.framework ?? '').localeCompare(y.framework ?? '', 'fr') ||
        (x.code ?? '').localeCompare(y.code ?? '', 'fr', { numeric: true }),
    );
    return other.items.length ? [...sorted, other] : sorted;
  }

  async function claimSlug(userId: string, slug: string): Promise<boolean> {
    const now = clock();
    const existing = await repo.findSlug(slug);
    if (existing) {
      if (existing.userId === userId) {
        if (existing.releasedAt) await repo.setSlugReleased(slug, userId, undefined);
        return true;
      }
      const reservedUntil = existing.releasedAt
        ? existing.releasedAt.getTime() + deps.slugReserveDays * DAY_MS
        : Infinity;
      if (reservedUntil > now.getTime()) return false;
      await repo.dropReleasedSlug(slug, existing.releasedAt!);
    }
    // Insert-only: of two people claiming it at once, one gets it.
    return repo.insertSlug({ _id: slug, userId, claimedAt: now });
  }

  async function suggestionsFor(name: string, userId: string): Promise<string[]> {
    const parts = profileSlug(name).split('-').filter(Boolean);
    if (parts.length === 0) return [];
    const first = parts[0]!;
    const last = parts.length > 1 ? parts[parts.length - 1]! : '';
    const candidates = [
      ...new Set(
        [
          last ? `${first}-${last.charAt(0)}` : first,
          parts.join('-'),
          last ? `${first}-${last}` : '',
          last ? `${first.charAt(0)}-${last}` : '',
          `${parts.join('-')}-mediation`,
        ].filter((s) => s && !slugProblem(s)),
      ),
    ];
    const taken = await repo.existingSlugs(candidates);
    const unavailable = new Set(taken.filter((s) => s.userId !== userId).map((s) => s._id));
    return candidates.filter((c) => !unavailable.has(c)).slice(0, 3);
  }

  function defaultProfile(userId: string): PublicProfileDoc {
    return {
      _id: userId,
      enabled: false,
      awardIds: [],
      nameStyle: 'short',
      allowIndexing: false,
      updatedAt: clock(),
    };
  }

  return {
    /** "Mes badges": badges by competency, hidden ones apart, and the person's requests. */
    async myBadges(actor: BackpackActor) {
      const [awards, requests, awaiting, catalogue] = await Promise.all([
        repo.awardsOf(actor.email),
        deps.requests.mine(actor),
        deps.requests.awaitingRecommendation(actor),
        deps.requests.catalogueFor(actor),
      ]);
      const items = await itemsOf(awards);
      const visible = items.filter((i) => !i.hidden);
      const requestClasses = new Map<string, string>();
      for (const r of requests) {
        if (!requestClasses.has(r.badgeClassId)) {
          const b = await deps.badgeClasses.findById(r.badgeClassId);
          requestClasses.set(r.badgeClassId, b?.name ?? r.badgeClassId);
        }
      }
      return {
        count: visible.length,
        toAccept: visible.filter((i) => !i.accepted && i.status.kind !== 'revoked').length,
        groups: groupByCompetency(visible),
        hidden: items.filter((i) => i.hidden),
        requests: requests.map((r) => ({
          request: r,
          badgeName: requestClasses.get(r.badgeClassId) ?? r.badgeClassId,
        })),
        awaiting,
        canRequest: catalogue.length > 0,
        nameChoices: {
          short: displayNameOf(actor.name, 'short'),
          full: displayNameOf(actor.name, 'full'),
        },
      };
    },

    /**
     * Accepts a received badge (or changes the name shown with an accepted one). With a name,
     * the OB 3.0 credential is signed again carrying it; without, signed again without it.
     */
    async accept(actor: BackpackActor, awardId: string, showName: unknown) {
      const award = await ownAward(actor, awardId);
      const revocations = await repo.revocationsOf([award._id]);
      if (award.revoked || revocations.has(award._id)) {
        throw new ConflictError({ messageKey: 'backpack.errors.revoked' });
      }
      const choice: NameChoice = showName === 'short' || showName === 'full' ? showName : 'none';
      const displayName = choice === 'none' ? undefined : displayNameOf(actor.name, choice);
      if (displayName !== award.holder?.displayName) {
        await deps.awards.signHolderName(award._id, displayName);
      }
      await repo.setHolder(award._id, {
        acceptedAt: award.holder?.acceptedAt ?? clock(),
        hidden: false,
        ...(displayName ? { displayName } : {}),
      });
      return { award, displayName };
    },

    /** Hides a badge from "Mes badges" (and from the public profile); reversible. */
    async setHidden(actor: BackpackActor, awardId: string, hidden: boolean) {
      const award = await ownAward(actor, awardId);
      await repo.setHolder(award._id, { ...(award.holder ?? {}), hidden });
      return award;
    },

    /** The "Mon profil public" page: settings, the badges one may show, address ideas. */
    async profileSettings(actor: BackpackActor) {
      const profile = (await repo.findProfile(actor.id)) ?? defaultProfile(actor.id);
      const items = (await itemsOf(await repo.awardsOf(actor.email))).filter((i) => !i.hidden);
      return {
        profile,
        items,
        suggestions: await suggestionsFor(actor.name, actor.id),
        reserveDays: deps.slugReserveDays,
        nameChoices: {
          short: displayNameOf(actor.name, 'short'),
          full: displayNameOf(actor.name, 'full'),
        },
      };
    },

    /**
     * Saves the profile. Switching it on needs an address that is well formed and free (or
     * the person's own, even reserved); the previous address is reserved to them.
     */
    async saveProfile(
      actor: BackpackActor,
      input: {
        enabled?: unknown;
        slug?: unknown;
        bio?: unknown;
        awardIds?: unknown;
        allowIndexing?: unknown;
        nameStyle?: unknown;
      },
    ): Promise<PublicProfileDoc> {
      const before = (await repo.findProfile(actor.id)) ?? defaultProfile(actor.id);
      const enabled = input.enabled === 'oui';
      const slug = str(input.slug).trim().toLowerCase();
      const bio = plainText(input.bio);
      const errors: FieldError[] = [];
      const problem = slug || enabled ? slugProblem(slug) : undefined;
      if (problem) {
        errors.push({
          field: 'slug',
          messageKey: problem,
          params: { min: PROFILE_LIMITS.slugMin, max: PROFILE_LIMITS.slugMax },
        });
      }
      if (bio.length > PROFILE_LIMITS.bio) {
        errors.push({
          field: 'bio',
          messageKey: 'profile.errors.bioTooLong',
          params: { max: PROFILE_LIMITS.bio, count: bio.length },
        });
      }
      const own = new Set(
        (await repo.awardsOf(actor.email)).filter((a) => !a.holder?.hidden).map((a) => a._id),
      );
      const awardIds = [...new Set(list(input.awardIds))]
        .filter((id) => own.has(id))
        .slice(0, PROFILE_LIMITS.badges);
      if (errors.length) throw new ValidationError(errors);
      const changesSlug = slug !== '' && slug !== before.slug;
      if (slug && (changesSlug || enabled) && !(await claimSlug(actor.id, slug))) {
        throw new ValidationError([
          { field: 'slug', messageKey: 'profile.errors.slugTaken', params: { slug } },
        ]);
      }
      const now = clock();
      // The address given up (or switched off) stays reserved to this person for a while.
      if (before.slug && (changesSlug || (!enabled && before.enabled))) {
        await repo.setSlugReleased(before.slug, actor.id, now);
      }
      if (slug && !enabled && changesSlug) await repo.setSlugReleased(slug, actor.id, now);
      const profile: PublicProfileDoc = {
        _id: actor.id,
        enabled,
        ...(slug ? { slug } : before.slug ? { slug: before.slug } : {}),
        ...(bio ? { bio } : {}),
        awardIds,
        nameStyle: input.nameStyle === 'full' ? 'full' : 'short',
        allowIndexing: input.allowIndexing === 'oui',
        updatedAt: now,
      };
      await repo.saveProfile(profile);
      return profile;
    },

    /** Switches the profile off at once: the address answers 404 and stays reserved. */
    async disableProfile(actor: BackpackActor): Promise<void> {
      const profile = await repo.findProfile(actor.id);
      if (!profile?.enabled) return;
      if (profile.slug) await repo.setSlugReleased(profile.slug, actor.id, clock());
      await repo.saveProfile({ ...profile, enabled: false, updatedAt: clock() });
    },

    /**
     * A public profile by its address, with each shown badge verified live (the checks an
     * employer runs). Not found when off, released, or unknown.
     */
    async publicProfile(slug: string) {
      const claim = await repo.findSlug(slug.toLowerCase());
      if (!claim || claim.releasedAt) throw new NotFoundError();
      const profile = await repo.findProfile(claim.userId);
      if (!profile?.enabled || profile.slug !== claim._id) throw new NotFoundError();
      const user = await deps.users.findById(claim.userId);
      if (!user) throw new NotFoundError();
      const awards: BackpackAward[] = [];
      for (const id of profile.awardIds) {
        const award = await repo.findAward(id);
        if (award && ownedBy(award, { id: user._id, email: user.email }) && !award.holder?.hidden)
          awards.push(award);
      }
      const items = await itemsOf(awards);
      const verified = [];
      for (const item of items) {
        verified.push({
          ...item,
          url: urls.assertion(item.award._id),
          outcome: await deps.verifyAward(urls.assertion(item.award._id)),
        });
      }
      return {
        slug: claim._id,
        userId: claim.userId,
        name: displayNameOf(user.name, profile.nameStyle),
        bio: profile.bio,
        allowIndexing: profile.allowIndexing,
        badges: verified,
      };
    },
  };
}
export type BackpackUseCases = ReturnType<typeof backpackUseCases>;
