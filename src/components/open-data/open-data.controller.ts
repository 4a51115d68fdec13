import fs from 'node:fs';
import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import { barChartSvg } from '../../core/open-data/bar-chart.js';
import { MEASURES } from '../../core/open-data/monthly-statistics.js';
import { trimmedStr } from '../../libraries/http/params.js';
import { projectRoot } from '../../libraries/paths.js';
import { renderFormErrors } from '../../libraries/web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import type { OpenDataUseCases, PublishedFile } from './open-data.use-case.js';

type Tr = (k: string, o?: object) => string;

/** The shipped files (schema, example): read once, published as they are in the repository. */
const resourceDir = path.join(projectRoot, 'resources', 'open-data');
const shipped = new Map<string, string>();
function resource(name: string): string {
  let text = shipped.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(resourceDir, name), 'utf8');
    shipped.set(name, text);
  }
  return text;
}

/**
 * Answers a published file with ETag and Last-Modified, and 304 when the client already has
 * it (If-None-Match / If-Modified-Since, as express's `req.fresh` reads them).
 */
function sendFile(req: Request, res: Response, f: PublishedFile, type: string, name: string) {
  res.setHeader('ETag', f.etag);
  res.setHeader('Last-Modified', f.lastModified.toUTCString());
  // Public data: shared caches may keep it, but must ask again (cheap with the ETag).
  res.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.type(type);
  res.setHeader('Content-Disposition', `inline; filename="${name}"`);
  res.send(f.body);
}

export function openDataController(deps: { openData: OpenDataUseCases; publicUrl: string }) {
  const { openData } = deps;
  const t = (res: Response) => res.locals.t as Tr;
  const shippedDate = new Date('2026-12-02T00:00:00Z');

  const page: RequestHandler = async (_req, res) => {
    const tr = t(res);
    const { statistics, lastModified } = await openData.snapshot();
    const secret = tr('openData.page.secret');
    // "2027-01" → "janvier 2027" / "January 2027" (the files keep the ISO form).
    const monthName = new Intl.DateTimeFormat(res.locals.lang === 'en' ? 'en-GB' : 'fr-FR', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const months = statistics.byMonth.map((b) => ({
      label: monthName.format(new Date(`${b.key}-01T00:00:00Z`)),
      value: b.value,
    }));
    const comps = statistics.byCompetency.map((b) => ({ label: b.label, value: b.value }));
    const monthChart = months.length
      ? barChartSvg({
          id: 'graphique-mois',
          title: tr('openData.page.byMonth.title'),
          description: tr('openData.page.byMonth.description'),
          bars: months,
          secretLabel: secret,
        })
      : '';
    const compChart = comps.length
      ? barChartSvg({
          id: 'graphique-competences',
          title: tr('openData.page.byCompetency.title'),
          description: tr('openData.page.byCompetency.description'),
          bars: comps,
          secretLabel: secret,
        })
      : '';
    res.render('open-data/page', {
      pageTitle: tr('openData.page.title'),
      months,
      comps,
      monthChart,
      compChart,
      total: statistics.total,
      rowCount: statistics.rows.length,
      lastModified: lastModified.toISOString().slice(0, 10),
      measures: MEASURES.map((m) => tr(`openData.measures.${m}`)),
    });
  };

  const csv: RequestHandler = async (req, res) => {
    sendFile(
      req,
      res,
      await openData.csv(),
      'text/csv; charset=utf-8',
      'statistiques-mensuelles.csv',
    );
  };
  const json: RequestHandler = async (req, res) => {
    sendFile(
      req,
      res,
      await openData.json(),
      'application/json; charset=utf-8',
      'statistiques-mensuelles.json',
    );
  };
  const schema: RequestHandler = (req, res) => {
    sendFile(
      req,
      res,
      openData.file(resource('schema.json'), shippedDate),
      'application/json; charset=utf-8',
      'schema.json',
    );
  };
  const example: RequestHandler = (req, res) => {
    sendFile(
      req,
      res,
      openData.file(resource('exemple.csv'), shippedDate),
      'text/csv; charset=utf-8',
      'exemple.csv',
    );
  };
  const datapackage: RequestHandler = async (req, res) => {
    const { lastModified } = await openData.snapshot();
    const base = deps.publicUrl.replace(/\/$/, '');
    const pkg = {
      name: 'coop-badges-statistiques',
      title:
        'Badges numériques ouverts de la coopérative des médiateurs numériques — statistiques mensuelles',
      description:
        'Activité mensuelle de la plateforme de badges numériques ouverts : badges délivrés, révoqués, recommandés et demandés, par structure émettrice, badge et compétence. Sans donnée personnelle (secret statistique : nombres inférieurs à 5 masqués, secret complémentaire).',
      homepage: `${base}/donnees`,
      version: '1.0.0',
      licenses: [
        {
          name: 'etalab-2.0',
          title: 'Licence Ouverte / Open Licence version 2.0',
          path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
        },
      ],
      resources: [
        {
          name: 'statistiques-mensuelles',
          title: 'Statistiques mensuelles (CSV)',
          path: `${base}/donnees/statistiques-mensuelles.csv`,
          format: 'csv',
          mediatype: 'text/csv',
          encoding: 'utf-8',
          dialect: { delimiter: ',', header: true },
          schema: `${base}/donnees/schema.json`,
        },
        {
          name: 'statistiques-mensuelles-json',
          title: 'Statistiques mensuelles (JSON)',
          path: `${base}/donnees/statistiques-mensuelles.json`,
          format: 'json',
          mediatype: 'application/json',
          encoding: 'utf-8',
        },
        {
          name: 'exemple',
          title: 'Exemple de fichier conforme au schéma',
          path: `${base}/donnees/exemple.csv`,
          format: 'csv',
          mediatype: 'text/csv',
          encoding: 'utf-8',
          schema: `${base}/donnees/schema.json`,
        },
      ],
    };
    sendFile(
      req,
      res,
      openData.file(`${JSON.stringify(pkg, null, 2)}\n`, lastModified),
      'application/json; charset=utf-8',
      'datapackage.json',
    );
  };

  const adminList: RequestHandler = async (_req, res) => {
    res.render('open-data/admin-list', {
      pageTitle: t(res)('openData.admin.title'),
      issuers: await openData.settingsList(),
    });
  };

  const formLocals = (
    res: Response,
    issuer: { id: string; name: string },
    values: Record<string, unknown>,
  ) => ({
    pageTitle: t(res)('openData.admin.formTitle', { name: issuer.name }),
    issuer,
    values,
  });

  const adminForm: RequestHandler = async (req, res) => {
    const issuer = await openData.settingsOf(String(req.params.issuerId));
    const s = issuer.settings;
    res.render(
      'open-data/admin-form',
      formLocals(res, issuer, {
        publish: s?.publish ?? false,
        fromMonth: s?.fromMonth ?? '',
        communeCode: s?.communeCode ?? '',
        mediationPlaceId: s?.mediationPlaceId ?? '',
      }),
    );
  };

  const adminSave: RequestHandler = async (req, res) => {
    const issuer = await openData.settingsOf(String(req.params.issuerId));
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values = {
      publish: trimmedStr(b.publish) === 'oui',
      fromMonth: trimmedStr(b.fromMonth),
      communeCode: trimmedStr(b.communeCode).toUpperCase(),
      mediationPlaceId: trimmedStr(b.mediationPlaceId),
    };
    try {
      await openData.updateSettings({ issuerId: issuer.id, ...values }, req.user!, req.ip ?? '');
    } catch (err) {
      return renderFormErrors(res, err, 'open-data/admin-form', formLocals(res, issuer, values));
    }
    flash(req, { kind: 'ok', key: 'openData.admin.saved', params: { name: issuer.name } });
    res.redirect(303, '/admin/donnees');
  };

  return { page, csv, json, schema, example, datapackage, adminList, adminForm, adminSave };
}
