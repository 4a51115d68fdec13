import type { Request, RequestHandler, Response } from 'express';
import { can } from '../../libraries/authz/authorization.js';
import { NotFoundError } from '../../libraries/errors/app-error.js';
import { renderFormErrors } from '../../libraries/web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import type { FrameworksUseCases } from './frameworks.use-case.js';
import { competencyAnchor, competencyCount } from './competency-alignment.js';
import { trimmedStr } from '../../libraries/http/params.js';

export function frameworksController(deps: { frameworks: FrameworksUseCases }) {
  const list: RequestHandler = async (req, res) => {
    const frameworks = await deps.frameworks.list();
    res.render('frameworks/list', {
      pageTitle: res.locals.t('frameworks.list.title'),
      navCurrent: 'frameworks',
      canImport: can(req.user, 'framework.import'),
      frameworks: frameworks.map((f) => ({
        ...f,
        count: competencyCount(f),
        domainCount: f.domains.length,
      })),
    });
  };

  const show: RequestHandler = async (req, res) => {
    const framework = await deps.frameworks.findById(String(req.params.frameworkId));
    if (!framework) throw new NotFoundError();
    res.render('frameworks/show', {
      pageTitle: framework.name,
      navCurrent: 'frameworks',
      framework: {
        ...framework,
        count: competencyCount(framework),
        domains: framework.domains.map((d) => ({
          ...d,
          competencies: d.competencies.map((c) => ({ ...c, anchor: competencyAnchor(c.code) })),
        })),
      },
      differentLang: framework.lang !== res.locals.lang,
    });
  };

  const importLocals = (res: Response, values: Record<string, string>) => ({
    pageTitle: res.locals.t('frameworks.import.title'),
    navCurrent: 'frameworks',
    values,
  });

  const showImport: RequestHandler = (_req, res) => {
    res.render('frameworks/import', importLocals(res, { lang: 'fr' }));
  };

  const doImport: RequestHandler = async (req: Request, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values = {
      id: trimmedStr(b.id).toLowerCase(),
      name: trimmedStr(b.name),
      lang: trimmedStr(b.lang) || 'fr',
      url: trimmedStr(b.url),
      source: trimmedStr(b.source),
    };
    let result;
    try {
      result = await deps.frameworks.importFramework({
        meta: {
          id: values.id,
          name: values.name,
          lang: values.lang,
          ...(values.url ? { url: values.url } : {}),
          ...(values.source ? { source: values.source } : {}),
        },
        file: (req as Request & { file?: { buffer: Buffer } }).file?.buffer,
        actor: req.user!,
        ip: req.ip ?? '',
      });
    } catch (err) {
      return renderFormErrors(res, err, 'frameworks/import', importLocals(res, values));
    }
    flash(req, {
      kind: 'ok',
      key: 'frameworks.import.done',
      params: { name: values.name, count: result.competencies },
    });
    res.redirect(303, `/referentiels/${encodeURIComponent(result.id)}`);
  };

  return { list, show, showImport, doImport };
}
