import type { Express } from 'express';
import { create as createHandlebars } from 'express-handlebars';
import path from 'node:path';
import { brandView } from '../libraries/brand/brand.js';
import type { Config } from '../libraries/config/config.js';
import { viewsDir } from '../libraries/paths.js';
import { helpers } from './helpers/index.js';

/**
 * Handlebars views: one layout, the partials, our helpers. Compiled once, except in development
 * where an edited template shows at the next request (uncached, a page costs about five times
 * more: every partial is read and compiled again).
 */
export function useViews(app: Express, config: Config): void {
  const hbs = createHandlebars({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(viewsDir, 'layouts'),
    partialsDir: path.join(viewsDir, 'partials'),
    helpers,
  });
  app.engine('.hbs', hbs.engine);
  app.set('view engine', '.hbs');
  app.set('views', viewsDir);
  if (config.NODE_ENV !== 'development') app.enable('view cache');
  // Name, logo and footer links of the installation, for the layout of every page.
  app.locals.brand = brandView(config);
}
