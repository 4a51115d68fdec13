import type { RequestHandler, Response } from 'express';
import { authorize } from '../../libraries/authz/authorization.js';
import {
  auditActions,
  type Audit,
  type AuditAction,
  type AuditDetailValue,
  type AuditEventDoc,
  type AuditFilter,
  type AuditPageReads,
} from './audit.use-case.js';
import { trimmedStr } from '../../libraries/http/params.js';

export const AUDIT_PAGE_SIZE = 25;

type Tr = (k: string, o?: object) => string;

const enc = encodeURIComponent;

/** Where a person reads what an event is about (the page of the award, request, badge…). */
function targetHref(type: string, id: string, issuerId?: string | null): string | undefined {
  switch (type) {
    case 'award':
      return `/assertions/${enc(id)}`;
    case 'badgeClass':
      return `/badges/${enc(id)}`;
    case 'request':
      return `/demandes/${enc(id)}`;
    case 'endorsement':
      return `/recommandations/${enc(id)}`;
    case 'bulkRun':
      return issuerId ? `/structures/${enc(issuerId)}/delivrer/fichier/${enc(id)}` : undefined;
    default:
      return undefined;
  }
}

/** Ids are for machines: show an address or a name, and link to the page of the thing. */
function targetLabel(
  tr: Tr,
  e: AuditEventDoc,
  emails: Map<string, string>,
  issuerNames: Map<string, string>,
): { text: string; href?: string } | null {
  if (!e.targetType) return null;
  const kind = tr(`audit.targets.${e.targetType}`, { defaultValue: e.targetType });
  const id = e.targetId ?? '';
  const named = (v: AuditDetailValue | undefined) => (typeof v === 'string' ? v : undefined);
  const readable =
    e.targetType === 'user'
      ? emails.get(id)
      : e.targetType === 'issuer'
        ? issuerNames.get(id)
        : e.targetType === 'invitation'
          ? named(e.details?.email)
          : (named(e.details?.badge) ?? named(e.details?.name));
  const href = id ? targetHref(e.targetType, id, e.issuerId) : undefined;
  // Without a name, the link says what it leads to; an id is never read out.
  const text = readable ? tr('audit.targetLine', { kind, name: readable }) : kind;
  return href ? { text, href } : { text };
}

/** Details that hold an id: shown as a link to the thing, under a label that says what it is. */
const LINKED_DETAILS: Record<string, string> = {
  award: 'award',
  replaces: 'award',
  endorsement: 'endorsement',
  previous: 'badgeClass',
  job: 'bulkRun',
};

/** Detail keys and values in words ("Rôle : Coordinateur·rice", "Courriel parti : oui"). */
function detailLine(
  tr: Tr,
  key: string,
  value: AuditDetailValue,
  issuerId: string | null | undefined,
): { key: string; value: string; href?: string } {
  const label = tr(`audit.detailKeys.${key}`, { defaultValue: key });
  let shown: string;
  const linked = LINKED_DETAILS[key];
  if (linked && typeof value === 'string') {
    const href = targetHref(linked, value, issuerId);
    if (href) return { key: label, value: tr(`audit.open.${linked}`), href };
  }
  if (typeof value === 'boolean') shown = tr(value ? 'audit.yes' : 'audit.no');
  else if ((key === 'role' || key === 'from' || key === 'to') && typeof value === 'string')
    // Membership roles, and the role in which a recommendation was made (coordination, pair).
    shown = tr(`roles.${value}`, {
      defaultValue: tr(`endorsements.roles.${value}`, { defaultValue: value }),
    });
  else if (key === 'via' && typeof value === 'string')
    shown = tr(`audit.via.${value}`, { defaultValue: value });
  else if (key === 'language' && typeof value === 'string')
    shown = tr(`languages.${value}`, { defaultValue: value });
  else shown = String(value);
  return { key: label, value: shown };
}

/** "2027-03-03" → that day at 00:00 (server time), or undefined. */
function day(value: string, plusDays = 0): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function auditController(deps: { audit: Audit; reads: AuditPageReads }) {
  const t = (res: Response) => res.locals.t as (k: string, o?: object) => string;

  /** Admins read everything; owners read the events of the issuers they own. */
  const list: RequestHandler = async (req, res) => {
    const user = req.user!;
    const q = req.query;
    const values = {
      action: trimmedStr(q.action),
      acteur: trimmedStr(q.acteur),
      du: trimmedStr(q.du),
      au: trimmedStr(q.au),
      structure: trimmedStr(q.structure),
    };
    const visibleIssuers = await deps.reads.visibleIssuers(user);
    const filter: AuditFilter = {};
    if (values.structure) {
      authorize(user, 'issuer.readAudit', { issuerId: values.structure });
      filter.issuerIds = [values.structure];
    } else if (!user.isAdmin) {
      filter.issuerIds = visibleIssuers.map((i) => i._id);
    }
    if ((auditActions as readonly string[]).includes(values.action))
      filter.action = values.action as AuditAction;
    if (values.acteur) {
      const actor = await deps.reads.findUserByEmail(values.acteur.toLowerCase());
      filter.actorId = actor?._id ?? '(personne)';
    }
    const from = day(values.du);
    const to = day(values.au, 1);
    if (from) filter.from = from;
    if (to) filter.to = to;
    if (typeof q.avant === 'string') filter.before = q.avant;

    const page = await deps.audit.page(filter, AUDIT_PAGE_SIZE);
    const issuerNames = new Map(visibleIssuers.map((i) => [i._id, i.name]));
    // Accounts named by the events, shown by their address rather than an id.
    const userIds = [
      ...new Set(
        page.events.filter((e) => e.targetType === 'user' && e.targetId).map((e) => e.targetId!),
      ),
    ];
    const emails = new Map((await deps.reads.usersByIds(userIds)).map((u) => [u._id, u.email]));
    const tr = t(res);
    const nextQuery = page.next
      ? new URLSearchParams({
          ...Object.fromEntries(Object.entries(values).filter(([, v]) => v)),
          avant: page.next,
        }).toString()
      : undefined;
    res.render('audit/list', {
      pageTitle: tr('audit.title'),
      navCurrent: 'audit',
      values,
      isFirstPage: !filter.before,
      actions: auditActions.map((a) => ({
        value: a,
        label: tr(`audit.actions.${a}`),
        selected: a === values.action,
      })),
      issuers: visibleIssuers.map((i) => ({
        id: i._id,
        name: i.name,
        selected: i._id === values.structure,
      })),
      events: page.events.map((e) => ({
        at: e.at,
        action: tr(`audit.actions.${e.action}`, { defaultValue: e.action }),
        actor: e.actorLabel ?? e.actorId,
        target: targetLabel(tr, e, emails, issuerNames),
        issuer: e.issuerId ? (issuerNames.get(e.issuerId) ?? e.issuerId) : null,
        ip: e.ip,
        details: Object.entries(e.details ?? {}).map(([k, v]) => detailLine(tr, k, v, e.issuerId)),
      })),
      nextUrl: nextQuery ? `/audit?${nextQuery}` : undefined,
    });
  };

  return { list };
}
