import type { RequestHandler } from 'express';
import { NotFoundError } from '../../libraries/errors/app-error.js';
import type { FrameworksRepository } from './frameworks.repository.js';
import { competencyAnchor, competencyCount } from './frameworks.use-case.js';

export function frameworksController(deps: { repo: FrameworksRepository }) {
  const list: RequestHandler = async (_req, res) => {
    const frameworks = await deps.repo.list();
    res.render('frameworks/list', {
      pageTitle: res.locals.t('frameworks.list.title'),
      navCurrent: 'frameworks',
      frameworks: frameworks.map((f) => ({
        ...f,
        count: competencyCount(f),
        domainCount: f.domains.length,
      })),
    });
  };

  const show: RequestHandler = async (req, res) => {
    const framework = await deps.repo.findById(String(req.params.frameworkId));
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
  return { list, show };
}
