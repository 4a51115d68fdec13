import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import { findInstance } from '../platform/platform.use-case.js';

export function homeController(deps: { db: Connection; clock: () => Date }) {
  const home: RequestHandler = async (_req, res) => {
    const instance = await findInstance(deps.db);
    res.render('home/index', { pageTitle: res.locals.t('home.title'), since: instance?.createdAt });
  };
  const accessibility: RequestHandler = (_req, res) => {
    res.render('home/accessibilite', { pageTitle: res.locals.t('accessibility.title') });
  };
  const siteMap: RequestHandler = (_req, res) => {
    res.render('home/plan-du-site', { pageTitle: res.locals.t('siteMap.title') });
  };
  return { home, accessibility, siteMap };
}
