import { randomBytes } from 'node:crypto';
import { authorize, type Principal } from '../../libraries/authz/authorization.js';
import {
  LEVEL_MAX_LENGTH,
  TITLE_MAX_LENGTH,
  listTemplates,
  validateBadgeArt,
} from '../../libraries/badge-art/index.js';
import {
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../../libraries/errors/app-error.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { FrameworksRepository } from '../frameworks/frameworks.repository.js';
import { alignmentFor } from '../frameworks/frameworks.use-case.js';
import { slugify } from '../issuers/issuers.use-case.js';
import type { BadgeClassAlignment, BadgeClassDoc, BadgeClassImage } from './badge-class.model.js';
import type { BadgeClassRepository } from './badge-class.repository.js';

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

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
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
    tags: str(body.tags),
    validityDays: str(body.validityDays).trim(),
    evidenceRequired: body.evidenceRequired === 'oui' ? 'oui' : 'non',
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

export function achievementsUseCases(deps: {
  clock: () => Date;
  audit: Audit;
  badgeClasses: BadgeClassRepository;
  frameworks: FrameworksRepository;
  publicUrl: string;
}) {
  const { clock, audit, badgeClasses, frameworks, publicUrl } = deps;

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

    const tags = [
      ...new Set(
        values.tags
          .split(/[,;\n]/)
          .map((t) => t.trim().replace(/\s+/g, ' '))
          .filter(Boolean),
      ),
    ];
    if (tags.length > BADGE_CLASS_LIMITS.tags || tags.some((t) => t.length > 50)) {
      errors.push({
        field: 'tags',
        messageKey: 'badgeClasses.errors.tags',
        params: { max: BADGE_CLASS_LIMITS.tags, length: BADGE_CLASS_LIMITS.tag },
      });
    }

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

  return {
    validate,

    async getBadgeClass(id: string): Promise<BadgeClassDoc> {
      const doc = await badgeClasses.findById(id);
      if (!doc) throw new NotFoundError();
      return doc;
    },

    listForIssuer: (issuerId: string) => badgeClasses.listByIssuer(issuerId),

    async createBadgeClass(input: {
      actor: Principal & { email?: string };
      issuerId: string;
      values: BadgeClassFormValues;
      ip: string;
    }): Promise<BadgeClassDoc> {
      authorize(input.actor, 'badgeClass.create', { issuerId: input.issuerId });
      const draft = await validate(input.values);
      const base = slugify(draft.name);
      let created: BadgeClassDoc | undefined;
      for (let i = 0; i < 10 && !created; i++) {
        const doc: BadgeClassDoc = {
          // Readable and unguessable enough: the name, then 4 random hex digits.
          _id: `${base}-${randomBytes(2).toString('hex')}`,
          issuerId: input.issuerId,
          ...draft,
          status: 'active',
          version: 1,
          createdAt: clock(),
          createdBy: input.actor.id,
        };
        if (await badgeClasses.insert(doc)) created = doc;
      }
      if (!created)
        throw new ValidationError([{ field: 'name', messageKey: 'badgeClasses.errors.nameTaken' }]);
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
  };
}
export type AchievementsUseCases = ReturnType<typeof achievementsUseCases>;
