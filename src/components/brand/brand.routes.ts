import type { Config } from '../../libraries/config/config.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { brandController } from './brand.controller.js';

/** The installation's palette (BRAND_* settings) as CSS custom properties, for every page. */
export function brandRoutes(deps: { config: Config }): RouteDef[] {
  const c = brandController(deps.config);
  return [
    {
      method: 'get',
      path: '/static/brand.css',
      access: { kind: 'public' },
      file: true,
      summary: 'The brand palette (colours from the BRAND_* settings) as a stylesheet',
      handlers: [c.stylesheet],
    },
  ];
}
