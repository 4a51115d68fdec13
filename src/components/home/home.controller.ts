import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import { platformRepository } from '../platform/platform.repository.js';

export function homeController(deps: { db: Connection; clock: () => Date }) {
  const platform = platformRepository(deps.db);
  const home: RequestHandler = async (_req, res) => {
    const instance = await platform.findInstance();
    res.render('home/index', { pageTitle: res.locals.t('home.title'), since: instance?.createdAt });
  };
  const accessibility: RequestHandler = (_req, res) => {
    res.render('home/accessibilite', { pageTitle: res.locals.t('accessibility.title') });
  };
  return { home, accessibility };
}
