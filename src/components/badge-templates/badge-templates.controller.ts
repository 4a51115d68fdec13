import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import {
  badgeArtKey,
  isTemplateId,
  listPictograms,
  listTemplates,
  renderBadgePng,
  renderBadgeSvg,
  renderPictogramSvg,
  validateBadgeArt,
  ISSUER_MAX_LENGTH,
  LEVEL_MAX_LENGTH,
  PNG_DEFAULT_SIZE,
  PNG_MIN_SIZE,
  PREVIEW_PNG_MAX_SIZE,
  previewRenderQueue,
  TITLE_MAX_LENGTH,
  type BadgeArtInput,
} from '../../libraries/badge-art/index.js';
import {
  BadRequestError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../../libraries/errors/app-error.js';

/**
 * Badge template gallery and previews. Query parameters are French, like the URLs:
 * titre, niveau, emetteur, couleur, couleur2, picto, taille.
 */

const TITLE_DOES_NOT_FIT = 'badgeArt.errors.titleDoesNotFit';

/** Library field → query parameter. */
const PARAM: Record<string, string> = {
  title: 'titre',
  level: 'niveau',
  issuer: 'emetteur',
  primaryColor: 'couleur',
  secondaryColor: 'couleur2',
  pictogram: 'picto',
  size: 'taille',
  template: 'modele',
};

/** Previews are pure functions of the URL; a day is long enough to be cheap, short enough to refresh designs. */
const PREVIEW_CACHE = 'public, max-age=86400';
/** The SVG is an image, never a document: nothing may load or run if it is opened directly. */
const SVG_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/**
 * The query as library input. Values are passed as they come: a repeated parameter
 * (`?titre=a&titre=b`) arrives as an array and is refused by validation as "not text".
 */
function inputFromQuery(query: Request['query']): BadgeArtInput {
  return {
    title: query.titre as string,
    level: query.niveau as string | undefined,
    issuer: query.emetteur as string | undefined,
    primaryColor: query.couleur as string | undefined,
    secondaryColor: query.couleur2 as string | undefined,
    pictogram: query.picto as string | undefined,
  };
}

/** Field errors renamed to the query parameters, each message naming its parameter. */
function asQueryErrors(errors: FieldError[], t: TFunction): FieldError[] {
  return errors.map((e) => {
    const param = PARAM[e.field] ?? e.field;
    return {
      ...e,
      field: param,
      params: { ...e.params, field: t('badgeTemplates.errors.param', { name: param }) },
    };
  });
}

function parseSize(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value)) return Number.NaN;
  return Number(value);
}

function templateParam(req: Request): string {
  const id = String(req.params.template);
  if (!isTemplateId(id)) throw new NotFoundError({ messageKey: 'badgeTemplates.errors.notFound' });
  return id;
}

/** Sets the validators and answers 304 when the client already has this image. */
function notModified(req: Request, res: Response, key: string): boolean {
  res.setHeader('Cache-Control', PREVIEW_CACHE);
  res.setHeader('ETag', `"${key.slice(0, 32)}"`);
  if (req.fresh) {
    res.status(304).end();
    return true;
  }
  return false;
}

function previewRequest(req: Request, res: Response) {
  const template = templateParam(req);
  const t = res.locals.t as TFunction;
  try {
    const values = validateBadgeArt(template, inputFromQuery(req.query));
    return { template, values };
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new BadRequestError({
        messageKey: 'badgeTemplates.errors.invalidPreview',
        fieldErrors: asQueryErrors(err.fieldErrors, t),
      });
    }
    throw err;
  }
}

interface FormState {
  titre: string;
  niveau: string;
  emetteur: string;
  couleurs: boolean;
  couleur: string;
  couleur2: string;
  picto: string;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function badgeTemplatesController() {
  const svg: RequestHandler = (req, res) => {
    const { template, values } = previewRequest(req, res);
    if (notModified(req, res, badgeArtKey(template, values))) return;
    res.setHeader('Content-Security-Policy', SVG_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Disposition', `inline; filename="badge-${template}.svg"`);
    res.type('image/svg+xml; charset=utf-8').send(renderBadgeSvg(template, values));
  };

  const png: RequestHandler = async (req, res) => {
    const { template, values } = previewRequest(req, res);
    const size = parseSize(req.query.taille) ?? PNG_DEFAULT_SIZE;
    // Previews stop at the size of a real badge image: a 1024 px render costs four times more.
    if (!Number.isInteger(size) || size < PNG_MIN_SIZE || size > PREVIEW_PNG_MAX_SIZE) {
      throw new BadRequestError({
        messageKey: 'badgeTemplates.errors.invalidPreview',
        fieldErrors: asQueryErrors(
          [
            {
              field: 'size',
              messageKey: 'badgeArt.errors.invalidSize',
              params: { min: PNG_MIN_SIZE, max: PREVIEW_PNG_MAX_SIZE },
            },
          ],
          res.locals.t as TFunction,
        ),
      });
    }
    if (notModified(req, res, badgeArtKey(template, values, size))) return;
    const image = await renderBadgePng(template, values, { size, queue: previewRenderQueue });
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Disposition', `inline; filename="badge-${template}-${size}.png"`);
    res.type('image/png').send(image);
  };

  const pictogram: RequestHandler = (req, res) => {
    const image = renderPictogramSvg(String(req.params.picto));
    if (!image) throw new NotFoundError({ messageKey: 'badgeTemplates.errors.pictogramNotFound' });
    res.setHeader('Cache-Control', PREVIEW_CACHE);
    res.setHeader('Content-Security-Policy', SVG_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type('image/svg+xml; charset=utf-8').send(image);
  };

  /** The public gallery; its GET form tries the templates with the visitor's own values. */
  const gallery: RequestHandler = (req, res) => {
    const t = res.locals.t as TFunction;
    const lang = res.locals.lang === 'en' ? 'en' : 'fr';
    const q = req.query;
    const tried = q.titre !== undefined;
    const form: FormState = {
      titre: tried ? text(q.titre) : t('badgeTemplates.sample.title'),
      niveau: tried ? text(q.niveau) : t('badgeTemplates.sample.level'),
      emetteur: text(q.emetteur),
      couleurs: q.couleurs === 'oui',
      couleur: text(q.couleur) || '#1f4e8c',
      couleur2: text(q.couleur2) || '#c8102e',
      picto: text(q.picto),
    };
    const templates = listTemplates();
    let input: BadgeArtInput = {
      title: form.titre,
      level: form.niveau,
      issuer: form.emetteur,
      pictogram: form.picto,
      ...(form.couleurs ? { primaryColor: form.couleur, secondaryColor: form.couleur2 } : {}),
    };
    const label = (e: FieldError) => {
      const field = PARAM[e.field] ?? e.field;
      return {
        field,
        message: t(e.messageKey, { ...e.params, field: t(`badgeTemplates.form.${field}.label`) }),
      };
    };
    // Whether the name fits depends on the template: each card says so for itself. Every
    // other mistake is the same for all templates.
    const refusals = templates.map((tpl) => {
      try {
        validateBadgeArt(tpl.id, input);
        return [];
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return err.fieldErrors;
      }
    });
    const doesNotFit = (errors: FieldError[]) =>
      errors.length > 0 && errors.every((e) => e.messageKey === TITLE_DOES_NOT_FIT);
    let fieldErrors = (refusals.find((errors) => errors.length > 0 && !doesNotFit(errors)) ?? [])
      .filter((e) => e.messageKey !== TITLE_DOES_NOT_FIT)
      .map(label);
    if (fieldErrors.length === 0 && refusals.every(doesNotFit)) {
      fieldErrors = [label(refusals[0]![0]!)];
    }
    if (fieldErrors.length > 0) {
      // Show the gallery with the sample values; the form keeps what was typed.
      input = { title: t('badgeTemplates.sample.title'), level: t('badgeTemplates.sample.level') };
      res.status(400);
    }
    const fits = (index: number) => fieldErrors.length > 0 || refusals[index]!.length === 0;
    const errorFor = (field: string) => fieldErrors.find((e) => e.field === field)?.message;
    const query = new URLSearchParams();
    query.set('titre', input.title);
    if (input.level) query.set('niveau', input.level);
    if (input.issuer) query.set('emetteur', input.issuer);
    if (input.primaryColor) query.set('couleur', input.primaryColor);
    if (input.secondaryColor) query.set('couleur2', input.secondaryColor);
    if (input.pictogram) query.set('picto', input.pictogram);
    res.render('badge-templates/gallery', {
      pageTitle: t('badgeTemplates.title'),
      navCurrent: 'badgeTemplates',
      form,
      limits: { title: TITLE_MAX_LENGTH, level: LEVEL_MAX_LENGTH, issuer: ISSUER_MAX_LENGTH },
      fieldErrors,
      errors: {
        titre: errorFor('titre'),
        niveau: errorFor('niveau'),
        emetteur: errorFor('emetteur'),
        couleur: errorFor('couleur'),
        couleur2: errorFor('couleur2'),
        picto: errorFor('picto'),
      },
      sampleTitle: input.title,
      templates: templates.map((tpl, index) => ({
        id: tpl.id,
        name: tpl.name[lang],
        description: tpl.description[lang],
        fits: fits(index),
        svg: `/modeles-de-badges/${tpl.id}/apercu.svg?${query}`,
        png: `/modeles-de-badges/${tpl.id}/apercu.png?${query}&taille=${PNG_DEFAULT_SIZE}`,
      })),
      pictograms: listPictograms().map((p) => ({
        id: p.id,
        name: p.name[lang],
        selected: p.id === form.picto,
        image: `/modeles-de-badges/pictogrammes/${p.id}.svg`,
      })),
      pngSize: PNG_DEFAULT_SIZE,
    });
  };

  return { gallery, svg, png, pictogram };
}
