import { randomBytes } from 'node:crypto';
import { authorize, type Principal } from '../../libraries/authz/authorization.js';
import {
  LEVEL_MAX_LENGTH,
  TITLE_MAX_LENGTH,
  listTemplates,
  validateBadgeArt,
} from '../../libraries/badge-art/index.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../../libraries/errors/app-error.js';
import type { Audit } from '../audit/audit.use-case.js';
import {
  shippedFrameworks,
  thematiqueLabel,
  type FrameworksRepository,
} from '../frameworks/frameworks.repository.js';
import { alignmentFor } from '../frameworks/competency-alignment.js';
import { slugify } from '../../libraries/text/slug.js';
import type { BadgeClassAlignment, BadgeClassDoc, BadgeClassImage } from './badge-class.model.js';
import type { BadgeClassRepository } from './badge-class.repository.js';
import { str } from '../../libraries/http/params.js';

// Pages render the badge records these use cases return.
export type { BadgeClassDoc };

export const BADGE_CLASS_LIMITS = {
  name: TITLE_MAX_LENGTH,
  description: 2000,
  criteria: 5000,
  level: LEVEL_MAX_LENGTH,
  tags: 20,
  tag: 50,
  alignments: 30,
  validityDays: 36500,
} as const;

/** What the badge form carries once read (strings as typed, for re-display). */
export interface BadgeClassFormValues {
  name: string;
  description: string;
  criteriaNarrative: string;
  criteriaUrl: string;
  template: string;
  level: string;
  primaryColor: string;
  secondaryColor: string;
  pictogram: string;
  /** "frameworkId:code" of each chosen competency. */
  alignments: string[];
  /** National thématiques chosen (their API values, e.g. `aide_aux_demarches_administratives`). */
  thematiques: string[];
  /** Free tags, comma-separated as typed. */
  tags: string;
  validityDays: string;
  evidenceRequired: 'oui' | 'non';
}

export interface BadgeClassDraft {
  name: string;
  description: string;
  criteria: { narrative: string; url?: string };
  image: BadgeClassImage;
  alignments: BadgeClassAlignment[];
  tags: string[];
  validityDays?: number;
  evidenceRequired: boolean;
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' && v !== '' ? [v] : [];
}

/** Reads the submitted form (unknown input) into strings, keeping what was typed. */
export function readBadgeClassForm(body: Record<string, unknown>): BadgeClassFormValues {
  const defaults = listTemplates()[0]!;
  return {
    name: str(body.name),
    description: str(body.description),
    criteriaNarrative: str(body.criteriaNarrative),
    criteriaUrl: str(body.criteriaUrl).trim(),
    template: str(body.template) || defaults.id,
    level: str(body.level),
    primaryColor: str(body.primaryColor),
    secondaryColor: str(body.secondaryColor),
    pictogram: str(body.pictogram),
    alignments: [...new Set(list(body.alignments))],
    thematiques: [...new Set(list(body.thematiques))],
    tags: str(body.tags),
    validityDays: str(body.validityDays).trim(),
    evidenceRequired: body.evidenceRequired === 'oui' ? 'oui' : 'non',
  };
}

/** The form filled with a badge's current values (to edit it). */
export function formValuesOf(doc: BadgeClassDoc): BadgeClassFormValues {
  return {
    name: doc.name,
    description: doc.description,
    criteriaNarrative: doc.criteria.narrative,
    criteriaUrl: doc.criteria.url ?? '',
    template: doc.image.template,
    level: doc.image.level ?? '',
    primaryColor: doc.image.primaryColor,
    secondaryColor: doc.image.secondaryColor,
    pictogram: doc.image.pictogram,
    alignments: doc.alignments.map((a) => `${a.frameworkId}:${a.targetCode}`),
    thematiques: doc.tags.filter((tag) => thematiqueLabel(tag) !== undefined),
    tags: doc.tags.filter((tag) => thematiqueLabel(tag) === undefined).join(', '),
    validityDays: doc.validityDays ? String(doc.validityDays) : '',
    evidenceRequired: doc.evidenceRequired ? 'oui' : 'non',
  };
}

/** The art library names fields after the image; the form after the badge. */
const ART_FIELD: Record<string, string> = { title: 'name', issuer: 'name' };

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** What the catalogue needs to know about issuing, without depending on the awards component. */
export interface BadgeClassUsage {
  /** Awards per badge class id, for one issuer. */
  awardCounts(issuerId: string): Promise<Map<string, number>>;
  /**
   * True once a badge class has been issued, or is about to be (a confirmed CSV run): it can
   * no longer change in place, since signed credentials carry its texts.
   */
  isIssued(badgeClassId: string): Promise<boolean>;
}

/** One badge of the catalogue: its latest version, with the earlier ones. */
export interface CatalogueEntry {
  badge: BadgeClassDoc;
  /** Earlier versions, newest first. */
  history: BadgeClassDoc[];
  /** Awards of this version. */
  awards: number;
  /** Awards of every version. */
  allAwards: number;
}

export function achievementsUseCases(deps: {
  clock: () => Date;
  audit: Audit;
  badgeClasses: BadgeClassRepository;
  frameworks: FrameworksRepository;
  publicUrl: string;
  usage: BadgeClassUsage;
}) {
  const { clock, audit, badgeClasses, frameworks, publicUrl, usage } = deps;

  /**
   * Checks the form and returns the badge it describes, or throws a ValidationError listing
   * every problem (field names are the form's). Also used for the preview.
   */
  async function validate(values: BadgeClassFormValues): Promise<BadgeClassDraft> {
    const errors: FieldError[] = [];
    const name = values.name.trim();
    const description = values.description.trim();
    const narrative = values.criteriaNarrative.trim();
    let image: BadgeClassImage | undefined;
    if (name === '') {
      errors.push({ field: 'name', messageKey: 'badgeClasses.errors.nameRequired' });
    } else {
      try {
        const art = validateBadgeArt(values.template, {
          title: name,
          level: values.level,
          primaryColor: values.primaryColor,
          secondaryColor: values.secondaryColor,
          pictogram: values.pictogram,
        });
        image = {
          template: values.template,
          ...(art.level ? { level: art.level } : {}),
          primaryColor: art.primaryColor,
          secondaryColor: art.secondaryColor,
          pictogram: art.pictogram,
        };
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        for (const e of err.fieldErrors) {
          errors.push({
            field: ART_FIELD[e.field] ?? e.field,
            messageKey:
              e.messageKey === 'badgeArt.errors.titleDoesNotFit'
                ? 'badgeClasses.errors.nameDoesNotFit'
                : e.messageKey === 'badgeArt.errors.tooLong' && e.field === 'title'
                  ? 'badgeClasses.errors.tooLong'
                  : e.messageKey,
            params: { ...e.params, max: (e.params?.max as number) ?? BADGE_CLASS_LIMITS.name },
          });
        }
      }
    }

    if (description === '') {
      errors.push({ field: 'description', messageKey: 'badgeClasses.errors.descriptionRequired' });
    } else if (description.length > BADGE_CLASS_LIMITS.description) {
      errors.push({
        field: 'description',
        messageKey: 'badgeClasses.errors.tooLong',
        params: { max: BADGE_CLASS_LIMITS.description },
      });
    }
    if (narrative === '') {
      errors.push({
        field: 'criteriaNarrative',
        messageKey: 'badgeClasses.errors.criteriaRequired',
      });
    } else if (narrative.length > BADGE_CLASS_LIMITS.criteria) {
      errors.push({
        field: 'criteriaNarrative',
        messageKey: 'badgeClasses.errors.tooLong',
        params: { max: BADGE_CLASS_LIMITS.criteria },
      });
    }
    if (values.criteriaUrl && !isHttpUrl(values.criteriaUrl)) {
      errors.push({ field: 'criteriaUrl', messageKey: 'badgeClasses.errors.urlInvalid' });
    }

    const alignments: BadgeClassAlignment[] = [];
    if (values.alignments.length > BADGE_CLASS_LIMITS.alignments) {
      errors.push({
        field: 'alignments',
        messageKey: 'badgeClasses.errors.tooManyAlignments',
        params: { max: BADGE_CLASS_LIMITS.alignments },
      });
    } else {
      for (const choice of values.alignments) {
        const sep = choice.indexOf(':');
        const framework = sep > 0 ? await frameworks.findById(choice.slice(0, sep)) : null;
        const alignment = framework && alignmentFor(framework, choice.slice(sep + 1), publicUrl);
        if (!alignment) {
          errors.push({ field: 'alignments', messageKey: 'badgeClasses.errors.alignmentUnknown' });
          break;
        }
        alignments.push({ frameworkId: framework.id, ...alignment });
      }
    }

    const freeTags = [
      ...new Set(
        values.tags
          .split(/[,;\n]/)
          .map((t) => t.trim().replace(/\s+/g, ' '))
          .filter(Boolean),
      ),
    ];
    if (
      freeTags.length > BADGE_CLASS_LIMITS.tags ||
      freeTags.some((t) => t.length > BADGE_CLASS_LIMITS.tag)
    ) {
      errors.push({
        field: 'tags',
        messageKey: 'badgeClasses.errors.tags',
        params: { max: BADGE_CLASS_LIMITS.tags, length: BADGE_CLASS_LIMITS.tag },
      });
    }
    if (values.thematiques.some((id) => thematiqueLabel(id) === undefined)) {
      errors.push({ field: 'thematiques', messageKey: 'badgeClasses.errors.thematiqueUnknown' });
    }
    // Thématiques first, in the national list's order; then the free tags.
    const order = shippedFrameworks().thematiques.flatMap((g) => g.values.map((v) => v.id));
    const tags = [
      ...new Set([
        ...order.filter((id) => values.thematiques.includes(id) || freeTags.includes(id)),
        ...freeTags.filter((t) => !order.includes(t)),
      ]),
    ];

    let validityDays: number | undefined;
    if (values.validityDays !== '') {
      const n = Number(values.validityDays);
      if (!/^\d+$/.test(values.validityDays) || n < 1 || n > BADGE_CLASS_LIMITS.validityDays) {
        errors.push({
          field: 'validityDays',
          messageKey: 'badgeClasses.errors.validityDays',
          params: { max: BADGE_CLASS_LIMITS.validityDays },
        });
      } else validityDays = n;
    }

    if (errors.length > 0 || !image) throw new ValidationError(errors);
    return {
      name,
      description,
      criteria: values.criteriaUrl ? { narrative, url: values.criteriaUrl } : { narrative },
      image,
      alignments,
      tags,
      ...(validityDays !== undefined ? { validityDays } : {}),
      evidenceRequired: values.evidenceRequired === 'oui',
    };
  }

  /** Inserts a badge under a new readable id (the name, then 4 random hex digits). */
  async function insertNew(
    fields: Omit<BadgeClassDoc, '_id'>,
  ): Promise<BadgeClassDoc | 'versionTaken'> {
    const base = slugify(fields.name) || 'badge';
    for (let i = 0; i < 10; i++) {
      const doc: BadgeClassDoc = { _id: `${base}-${randomBytes(2).toString('hex')}`, ...fields };
      const result = await badgeClasses.insert(doc);
      if (result === 'inserted') return doc;
      if (result === 'versionTaken') return 'versionTaken';
    }
    throw new ValidationError([{ field: 'name', messageKey: 'badgeClasses.errors.nameTaken' }]);
  }

  /** A badge of this issuer, or 404 (a badge of another issuer does not exist here). */
  async function badgeOf(issuerId: string, badgeClassId: string): Promise<BadgeClassDoc> {
    const doc = await badgeClasses.findById(badgeClassId);
    if (!doc || doc.issuerId !== issuerId) throw new NotFoundError();
    return doc;
  }

  /**
   * The issuer's catalogue: each badge's latest version with its history (versions are linked
   * by `previousVersionId`), active ones first, then archived ones; names in alphabetical order.
   */
  async function catalogue(
    issuerId: string,
    options: { counts?: boolean } = {},
  ): Promise<{ active: CatalogueEntry[]; archived: CatalogueEntry[] }> {
    // Counting awards reads every award of the issuer (a scan on FerretDB): only the
    // catalogue page asks for it, not the issuing forms.
    const [all, counts] = await Promise.all([
      badgeClasses.listByIssuer(issuerId),
      options.counts === false ? new Map<string, number>() : usage.awardCounts(issuerId),
    ]);
    const byId = new Map(all.map((b) => [b._id, b]));
    const superseded = new Set(
      all.flatMap((b) => (b.previousVersionId ? [b.previousVersionId] : [])),
    );
    const entries = all
      .filter((b) => !superseded.has(b._id))
      .map((badge) => {
        const history: BadgeClassDoc[] = [];
        const seen = new Set([badge._id]);
        for (let id = badge.previousVersionId; id && !seen.has(id);) {
          const previous = byId.get(id);
          if (!previous) break;
          history.push(previous);
          seen.add(id);
          id = previous.previousVersionId;
        }
        const awards = counts.get(badge._id) ?? 0;
        return {
          badge,
          history,
          awards,
          allAwards: history.reduce((n, h) => n + (counts.get(h._id) ?? 0), awards),
        };
      })
      .sort((a, b) => a.badge.name.localeCompare(b.badge.name, 'fr'));
    return {
      active: entries.filter((e) => e.badge.status === 'active'),
      archived: entries.filter((e) => e.badge.status === 'archived'),
    };
  }

  return {
    validate,
    catalogue,
    badgeOf,

    async getBadgeClass(id: string): Promise<BadgeClassDoc> {
      const doc = await badgeClasses.findById(id);
      if (!doc) throw new NotFoundError();
      return doc;
    },

    listForIssuer: (issuerId: string) => badgeClasses.listByIssuer(issuerId),

    /** The badges that can be issued now: latest versions, not archived. */
    async issuable(issuerId: string): Promise<BadgeClassDoc[]> {
      return (await catalogue(issuerId, { counts: false })).active.map((e) => e.badge);
    },

    /** Whether editing this badge would create a new version (it has been issued), and its awards. */
    async usageOf(badge: BadgeClassDoc): Promise<{ issued: boolean; awards: number }> {
      const [issued, counts] = await Promise.all([
        usage.isIssued(badge._id),
        usage.awardCounts(badge.issuerId),
      ]);
      const awards = counts.get(badge._id) ?? 0;
      return { issued: issued || awards > 0, awards };
    },

    async createBadgeClass(input: {
      actor: Principal & { email?: string };
      issuerId: string;
      values: BadgeClassFormValues;
      ip: string;
    }): Promise<BadgeClassDoc> {
      authorize(input.actor, 'badgeClass.create', { issuerId: input.issuerId });
      const draft = await validate(input.values);
      const created = await insertNew({
        issuerId: input.issuerId,
        ...draft,
        status: 'active',
        version: 1,
        createdAt: clock(),
        createdBy: input.actor.id,
      });
      if (created === 'versionTaken') throw new Error('a first version has no previous version');
      await audit.record({
        action: 'badgeClass.created',
        actor: input.actor,
        target: { type: 'badgeClass', id: created._id },
        issuerId: input.issuerId,
        ip: input.ip,
        details: { name: created.name },
      });
      return created;
    },

    /**
     * Saves the form over a badge. Not issued yet: changed in place. Already issued (signed
     * credentials carry its texts): a new version with a new id, `previousVersionId` and
     * version + 1, and the old version is archived; its awards keep pointing at it. Only the
     * latest, active version can be edited; two people saving at once create one version
     * (a unique index on `previousVersionId`), the other is told to start again.
     */
    async updateBadgeClass(input: {
      actor: Principal & { email?: string };
      issuerId: string;
      badgeClassId: string;
      values: BadgeClassFormValues;
      ip: string;
    }): Promise<{ badge: BadgeClassDoc; newVersion: boolean }> {
      authorize(input.actor, 'badgeClass.edit', { issuerId: input.issuerId });
      const current = await badgeOf(input.issuerId, input.badgeClassId);
      if (current.status !== 'active' || (await badgeClasses.findNextVersion(current._id))) {
        throw new ConflictError({ messageKey: 'badgeClasses.errors.notLatest' });
      }
      const draft = await validate(input.values);
      if (!(await usage.isIssued(current._id))) {
        await badgeClasses.update(current._id, draft);
        await audit.record({
          action: 'badgeClass.updated',
          actor: input.actor,
          target: { type: 'badgeClass', id: current._id },
          issuerId: input.issuerId,
          ip: input.ip,
          details: { name: draft.name },
        });
        return { badge: { ...current, ...draft }, newVersion: false };
      }
      const created = await insertNew({
        issuerId: input.issuerId,
        ...draft,
        // The quorum is set on its own page, not in this form: the new version keeps it.
        ...(current.quorum ? { quorum: current.quorum } : {}),
        status: 'active',
        version: current.version + 1,
        previousVersionId: current._id,
        createdAt: clock(),
        createdBy: input.actor.id,
      });
      if (created === 'versionTaken') {
        throw new ConflictError({ messageKey: 'badgeClasses.errors.notLatest' });
      }
      await badgeClasses.setStatus(current._id, 'archived');
      await audit.record({
        action: 'badgeClass.versioned',
        actor: input.actor,
        target: { type: 'badgeClass', id: created._id },
        issuerId: input.issuerId,
        ip: input.ip,
        details: { name: created.name, version: created.version, previous: current._id },
      });
      return { badge: created, newVersion: true };
    },

    /** Archives (it can no longer be issued; its awards stay valid) or restores a badge. */
    async setArchived(input: {
      actor: Principal & { email?: string };
      issuerId: string;
      badgeClassId: string;
      archived: boolean;
      ip: string;
    }): Promise<{ badge: BadgeClassDoc; changed: boolean }> {
      authorize(input.actor, 'badgeClass.archive', { issuerId: input.issuerId });
      const badge = await badgeOf(input.issuerId, input.badgeClassId);
      // An earlier version stays archived: its successor is the badge now.
      if (await badgeClasses.findNextVersion(badge._id)) {
        throw new ConflictError({ messageKey: 'badgeClasses.errors.notLatest' });
      }
      const status = input.archived ? 'archived' : 'active';
      if (badge.status === status) return { badge, changed: false };
      await badgeClasses.setStatus(badge._id, status);
      await audit.record({
        action: input.archived ? 'badgeClass.archived' : 'badgeClass.restored',
        actor: input.actor,
        target: { type: 'badgeClass', id: badge._id },
        issuerId: input.issuerId,
        ip: input.ip,
        details: { name: badge.name },
      });
      return { badge: { ...badge, status }, changed: true };
    },
  };
}
export type AchievementsUseCases = ReturnType<typeof achievementsUseCases>;
