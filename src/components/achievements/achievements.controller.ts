import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import {
  listPictograms,
  listTemplates,
  validateBadgeArt,
  LEVEL_MAX_LENGTH,
} from '../../libraries/badge-art/index.js';
import { ValidationError } from '../../libraries/errors/app-error.js';
import { formErrors } from '../../web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import type { FrameworksRepository } from '../frameworks/frameworks.repository.js';
import type { IssuersUseCases } from '../issuers/issuers.use-case.js';
import {
  BADGE_CLASS_LIMITS,
  readBadgeClassForm,
  type AchievementsUseCases,
  type BadgeClassFormValues,
} from './achievements.use-case.js';

function param(req: Request, name: string): string {
  const v = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

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

export function achievementsController(deps: {
  achievements: AchievementsUseCases;
  issuers: IssuersUseCases;
  frameworks: FrameworksRepository;
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
    options: { status?: number; errors?: ValidationError; previewed?: boolean } = {},
  ): Promise<void> {
    const issuerId = param(req, 'issuerId');
    const issuer = await issuers.getIssuer(issuerId);
    const lang = res.locals.lang === 'en' ? 'en' : 'fr';
    const tr = t(res);
    const chosen = new Set(values.alignments);
    const all = await frameworks.list();
    const errors = options.errors ? formErrors(tr, options.errors.fieldErrors) : undefined;
    const title = tr('badgeClasses.form.title');
    const template = listTemplates().find((x) => x.id === values.template) ?? listTemplates()[0]!;
    res.status(options.status ?? 200).render('achievements/new', {
      pageTitle: errors ? `${tr('forms.errorTitlePrefix')} ${title}` : title,
      navCurrent: 'issuers',
      issuer: { id: issuer._id, name: issuer.name },
      values: {
        ...values,
        // A colour input always holds a colour: the template's when none was chosen.
        primaryColor: values.primaryColor || template.defaults.primaryColor,
        secondaryColor: values.secondaryColor || template.defaults.secondaryColor,
      },
      errors,
      previewed: options.previewed ?? false,
      preview: previewUrl(values, tr('badgeClasses.form.sampleTitle')),
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
    res.redirect(303, `/structures/${encodeURIComponent(issuerId)}#badges`);
  };

  return { showCreate, create };
}
