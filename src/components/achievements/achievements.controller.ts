import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import { can } from '../../libraries/authz/authorization.js';
import {
  listPictograms,
  listTemplates,
  validateBadgeArt,
  LEVEL_MAX_LENGTH,
} from '../../libraries/badge-art/index.js';
import { ValidationError } from '../../libraries/errors/app-error.js';
import { formErrors } from '../../libraries/web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import {
  thematiqueGroups,
  thematiqueLabel,
  type FrameworksUseCases,
} from '../frameworks/frameworks.use-case.js';
import type { IssuersUseCases } from '../issuers/issuers.use-case.js';
import {
  BADGE_CLASS_LIMITS,
  formValuesOf,
  readBadgeClassForm,
  type AchievementsUseCases,
  type BadgeClassDoc,
  type BadgeClassFormValues,
  type CatalogueEntry,
} from './achievements.use-case.js';
import { param } from '../../libraries/http/params.js';

/** The preview URL of the existing template preview route, or undefined when art is invalid. */
export function previewUrl(
  values: BadgeClassFormValues,
  fallbackTitle: string,
): string | undefined {
  const title = values.name.trim() || fallbackTitle;
  try {
    validateBadgeArt(values.template, {
      title,
      level: values.level,
      primaryColor: values.primaryColor,
      secondaryColor: values.secondaryColor,
      pictogram: values.pictogram,
    });
  } catch (err) {
    if (err instanceof ValidationError) return undefined;
    throw err;
  }
  const q = new URLSearchParams({ titre: title });
  if (values.level.trim()) q.set('niveau', values.level);
  if (values.primaryColor) q.set('couleur', values.primaryColor);
  if (values.secondaryColor) q.set('couleur2', values.secondaryColor);
  if (values.pictogram) q.set('picto', values.pictogram);
  return `/modeles-de-badges/${encodeURIComponent(values.template)}/apercu.svg?${q}`;
}

/** Tags as pages show them: the thématiques by their French label, free tags as typed. */
export function tagLabels(tags: readonly string[]): { label: string; thematique: boolean }[] {
  return tags.map((tag) => {
    const label = thematiqueLabel(tag);
    return { label: label ?? tag, thematique: label !== undefined };
  });
}

const catalogueUrl = (issuerId: string) => `/structures/${encodeURIComponent(issuerId)}/badges`;

/** The form is the same for a new badge and an edit; `editing` names the badge being edited. */
interface FormMode {
  editing?: { badge: BadgeClassDoc; issued: boolean; awards: number };
}

export function achievementsController(deps: {
  achievements: AchievementsUseCases;
  issuers: IssuersUseCases;
  frameworks: Pick<FrameworksUseCases, 'list'>;
  badgeImage: (badgeClassId: string) => string;
}) {
  const { achievements, issuers, frameworks } = deps;
  const t = (res: Response) => res.locals.t as TFunction;

  function initialValues(): BadgeClassFormValues {
    const template = listTemplates()[0]!;
    return readBadgeClassForm({
      template: template.id,
      primaryColor: template.defaults.primaryColor,
      secondaryColor: template.defaults.secondaryColor,
      pictogram: template.defaults.pictogram,
    });
  }

  async function renderForm(
    req: Request,
    res: Response,
    values: BadgeClassFormValues,
    options: FormMode & { status?: number; errors?: ValidationError; previewed?: boolean } = {},
  ): Promise<void> {
    const issuerId = param(req, 'issuerId');
    const issuer = await issuers.getIssuer(issuerId);
    const lang = res.locals.lang === 'en' ? 'en' : 'fr';
    const tr = t(res);
    const chosen = new Set(values.alignments);
    const chosenThemes = new Set(values.thematiques);
    const all = await frameworks.list();
    const errors = options.errors ? formErrors(tr, options.errors.fieldErrors) : undefined;
    const editing = options.editing;
    const title = editing
      ? tr('badgeClasses.form.editTitle', { name: editing.badge.name })
      : tr('badgeClasses.form.title');
    const template = listTemplates().find((x) => x.id === values.template) ?? listTemplates()[0]!;
    res.status(options.status ?? 200).render('achievements/form', {
      pageTitle: errors ? `${tr('forms.errorTitlePrefix')} ${title}` : title,
      title,
      scripts: ['/static/js/badge-preview.js'],
      navCurrent: 'issuers',
      issuer: { id: issuer._id, name: issuer.name },
      action: editing
        ? `${catalogueUrl(issuerId)}/${encodeURIComponent(editing.badge._id)}/modifier`
        : catalogueUrl(issuerId),
      editing: editing && {
        id: editing.badge._id,
        name: editing.badge.name,
        version: editing.badge.version,
        nextVersion: editing.badge.version + 1,
        issued: editing.issued,
        awards: editing.awards,
      },
      values: {
        ...values,
        // A colour input always holds a colour: the template's when none was chosen.
        primaryColor: values.primaryColor || template.defaults.primaryColor,
        secondaryColor: values.secondaryColor || template.defaults.secondaryColor,
      },
      errors,
      previewed: options.previewed ?? false,
      preview: previewUrl(values, tr('badgeClasses.form.sampleTitle')),
      sampleTitle: tr('badgeClasses.form.sampleTitle'),
      limits: { ...BADGE_CLASS_LIMITS, level: LEVEL_MAX_LENGTH },
      templates: listTemplates().map((tpl) => ({
        id: tpl.id,
        name: tpl.name[lang],
        description: tpl.description[lang],
        checked: tpl.id === values.template,
        // A small picture of this template with the current texts and colours.
        thumb: previewUrl({ ...values, template: tpl.id }, tr('badgeClasses.form.sampleTitle')),
      })),
      pictograms: listPictograms().map((p) => ({
        id: p.id,
        name: p.name[lang],
        selected: p.id === (values.pictogram || template.defaults.pictogram),
      })),
      thematiqueGroups: thematiqueGroups().map((g) => {
        const count = g.values.filter((v) => chosenThemes.has(v.id)).length;
        return {
          id: g.id,
          label: g.label,
          open: count > 0,
          chosenLabel: count ? tr('badgeClasses.form.chosenCount', { count }) : '',
          values: g.values.map((v) => ({
            id: `thematique-${v.id}`,
            value: v.id,
            label: v.label,
            checked: chosenThemes.has(v.id),
          })),
        };
      }),
      frameworks: all.map((f) => ({
        id: f.id,
        name: f.name,
        lang: f.lang,
        open: f.domains.some((d) => d.competencies.some((c) => chosen.has(`${f.id}:${c.code}`))),
        chosenLabel: ((count: number) =>
          count ? tr('badgeClasses.form.chosenCount', { count }) : '')(
          [...chosen].filter((c) => c.startsWith(`${f.id}:`)).length,
        ),
        domains: f.domains.map((d) => ({
          code: d.code,
          label: d.label,
          competencies: d.competencies.map((c) => ({
            value: `${f.id}:${c.code}`,
            id: `aligne-${f.id}-${c.code}`.replace(/[^A-Za-z0-9_-]/g, '-'),
            code: c.code,
            label: c.label,
            checked: chosen.has(`${f.id}:${c.code}`),
          })),
        })),
      })),
    });
  }

  function entryView(entry: CatalogueEntry, issuerId: string, tr: TFunction) {
    const { badge } = entry;
    const base = `${catalogueUrl(issuerId)}/${encodeURIComponent(badge._id)}`;
    return {
      id: badge._id,
      name: badge.name,
      version: badge.version,
      level: badge.image.level,
      image: deps.badgeImage(badge._id),
      awards: entry.awards,
      allAwards: entry.allAwards,
      awardsLabel: tr('catalogue.awardCount', { count: entry.awards }),
      historyLabel: tr('catalogue.history', { count: entry.history.length }),
      historyHint: tr('catalogue.historyHint', { count: entry.allAwards }),
      tags: tagLabels(badge.tags),
      evidenceRequired: badge.evidenceRequired,
      validityDays: badge.validityDays,
      createdAt: badge.createdAt,
      editUrl: `${base}/modifier`,
      archiveUrl: `${base}/archiver`,
      restoreUrl: `${base}/restaurer`,
      issueUrl: `/structures/${encodeURIComponent(issuerId)}/delivrer?badge=${encodeURIComponent(badge._id)}`,
      bulkUrl: `/structures/${encodeURIComponent(issuerId)}/delivrer/fichier?badge=${encodeURIComponent(badge._id)}`,
      publicUrl: `/badges/${encodeURIComponent(badge._id)}`,
      history: entry.history.map((h) => ({
        id: h._id,
        version: h.version,
        name: h.name,
        createdAt: h.createdAt,
        publicUrl: `/badges/${encodeURIComponent(h._id)}`,
      })),
    };
  }

  const showCatalogue: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const issuer = await issuers.getIssuer(issuerId);
    const { active, archived } = await achievements.catalogue(issuerId);
    const tr = t(res);
    res.render('achievements/catalogue', {
      pageTitle: tr('catalogue.title', { issuer: issuer.name }),
      navCurrent: 'issuers',
      issuer: { id: issuer._id, name: issuer.name },
      canCreate: can(req.user, 'badgeClass.create', { issuerId }),
      canEdit: can(req.user, 'badgeClass.edit', { issuerId }),
      canArchive: can(req.user, 'badgeClass.archive', { issuerId }),
      canIssue: can(req.user, 'award.issue', { issuerId }),
      // Plural labels are built here (the view's {{t}} takes no count).
      activeTitle: tr('catalogue.active', { count: active.length }),
      archivedTitle: tr('catalogue.archivedTitle', { count: archived.length }),
      active: active.map((e) => entryView(e, issuerId, tr)),
      archived: archived.map((e) => entryView(e, issuerId, tr)),
    });
  };

  const showCreate: RequestHandler = (req, res) => renderForm(req, res, initialValues());

  const create: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = readBadgeClassForm(body);
    const issuerId = param(req, 'issuerId');
    if (body.action === 'apercu') {
      // Preview only: check what can be checked, show the image, create nothing.
      try {
        await achievements.validate(values);
        return await renderForm(req, res, values, { previewed: true });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return renderForm(req, res, values, { status: 422, errors: err, previewed: true });
      }
    }
    let created;
    try {
      created = await achievements.createBadgeClass({
        actor: req.user!,
        issuerId,
        values,
        ip: req.ip ?? '',
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderForm(req, res, values, { status: 422, errors: err });
    }
    flash(req, { kind: 'ok', key: 'badgeClasses.created', params: { name: created.name } });
    res.redirect(303, `${catalogueUrl(issuerId)}#badge-${encodeURIComponent(created._id)}`);
  };

  async function editMode(req: Request): Promise<Required<FormMode>['editing']> {
    const issuerId = param(req, 'issuerId');
    const badge = await achievements.badgeOf(issuerId, param(req, 'badgeClassId'));
    return { badge, ...(await achievements.usageOf(badge)) };
  }

  const showEdit: RequestHandler = async (req, res) => {
    const editing = await editMode(req);
    if (editing.badge.status !== 'active') {
      // Earlier versions and archived badges are not edited: back to the catalogue.
      flash(req, { kind: 'warn', key: 'badgeClasses.errors.notLatest' });
      return res.redirect(303, catalogueUrl(param(req, 'issuerId')));
    }
    await renderForm(req, res, formValuesOf(editing.badge), { editing });
  };

  const update: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = readBadgeClassForm(body);
    const issuerId = param(req, 'issuerId');
    const editing = await editMode(req);
    if (body.action === 'apercu') {
      try {
        await achievements.validate(values);
        return await renderForm(req, res, values, { editing, previewed: true });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return renderForm(req, res, values, { editing, status: 422, errors: err, previewed: true });
      }
    }
    let result;
    try {
      result = await achievements.updateBadgeClass({
        actor: req.user!,
        issuerId,
        badgeClassId: editing.badge._id,
        values,
        ip: req.ip ?? '',
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderForm(req, res, values, { editing, status: 422, errors: err });
    }
    flash(req, {
      kind: 'ok',
      key: result.newVersion ? 'badgeClasses.versioned' : 'badgeClasses.updated',
      params: { name: result.badge.name, version: result.badge.version },
    });
    res.redirect(303, `${catalogueUrl(issuerId)}#badge-${encodeURIComponent(result.badge._id)}`);
  };

  const setArchived =
    (archived: boolean): RequestHandler =>
    async (req, res) => {
      const issuerId = param(req, 'issuerId');
      const result = await achievements.setArchived({
        actor: req.user!,
        issuerId,
        badgeClassId: param(req, 'badgeClassId'),
        archived,
        ip: req.ip ?? '',
      });
      flash(req, {
        kind: 'ok',
        key: archived ? 'catalogue.archived' : 'catalogue.restored',
        params: { name: result.badge.name },
      });
      res.redirect(
        303,
        `${catalogueUrl(issuerId)}#${archived ? 'archives' : `badge-${encodeURIComponent(result.badge._id)}`}`,
      );
    };

  return {
    showCatalogue,
    showCreate,
    create,
    showEdit,
    update,
    archive: setArchived(true),
    restore: setArchived(false),
  };
}
