import { rolesFor } from '../../libraries/authz/authorization.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import { auditController } from './audit.controller.js';
import { auditPageReads, type Audit } from './audit.use-case.js';

export function auditRoutes(deps: {
  audit: Audit;
  users: UserRepository;
  issuers: IssuerRepository;
}): RouteDef[] {
  const c = auditController({
    audit: deps.audit,
    reads: auditPageReads({ users: deps.users, issuers: deps.issuers }),
  });
  return [
    {
      method: 'get',
      path: '/audit',
      // Owners of at least one issuer (the page then shows only theirs) and administrators.
      access: { kind: 'anyIssuer', roles: rolesFor('issuer.readAudit') },
      db: true,
      summary: 'Audit log, filterable and paginated',
      handlers: [c.list],
    },
  ];
}
