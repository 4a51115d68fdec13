import { createHash } from 'node:crypto';
import {
  buildMonthlyStatistics,
  monthOf,
  toCsv,
  toJsonRows,
  type BadgeInfo,
  type Fact,
  type IssuerInfo,
  type MonthlyStatistics,
} from '../../core/open-data/monthly-statistics.js';
import {
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../../libraries/errors/app-error.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { OpenDataSettingsDoc } from './open-data.model.js';
import type { OpenDataRepository } from './open-data.repository.js';

/** A published file: its bytes and what a harvester needs to fetch it again only if changed. */
export interface PublishedFile {
  body: string;
  etag: string;
  lastModified: Date;
}

export interface OpenDataSnapshot {
  statistics: MonthlyStatistics;
  lastModified: Date;
}

export interface SettingsInput {
  issuerId: string;
  publish: boolean;
  fromMonth: string;
  communeCode: string;
  mediationPlaceId: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** INSEE commune code: 5 characters, Corsica 2A/2B (same pattern as the schema). */
const INSEE = /^([013-9][0-9]|2[AB1-9])[0-9]{3}$/;
const PLACE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

export function openDataUseCases(deps: {
  repo: OpenDataRepository;
  audit: Audit;
  clock: () => Date;
}) {
  const { repo, clock } = deps;

  async function snapshot(): Promise<OpenDataSnapshot> {
    const settings = (await repo.allSettings()).filter((s) => s.publish);
    const ids = settings.map((s) => s._id);
    const now = clock();
    const currentMonth = monthOf(now);
    const names = new Map((await repo.issuers(ids)).map((i) => [i._id, i.name]));
    const issuers: IssuerInfo[] = settings
      .filter((s) => names.has(s._id))
      .map((s) => ({
        id: s._id,
        name: names.get(s._id) ?? s._id,
        fromMonth: s.fromMonth,
        communeCode: s.communeCode,
        mediationPlaceId: s.mediationPlaceId,
      }));
    const [classes, awards, requests, endorsements] = ids.length
      ? await Promise.all([
          repo.badgeClasses(ids),
          repo.awards(ids),
          repo.requests(ids),
          repo.endorsements(ids),
        ])
      : [[], [], [], []];
    const badges: BadgeInfo[] = classes.map((b) => ({
      id: b._id,
      issuerId: b.issuerId,
      name: b.name,
      competencies: (b.alignments ?? []).map((a) => ({
        framework: a.frameworkId,
        code: a.targetCode,
        name: a.targetName,
      })),
      themes: b.tags ?? [],
    }));
    const facts: Fact[] = [];
    for (const a of awards) {
      // Counted only, never published: the account, or the address for people without one.
      const recipient = a.recipientUserId ?? a.recipient.email.trim().toLowerCase();
      facts.push({
        kind: 'issued',
        month: monthOf(a.issuedOn),
        badgeId: a.badgeClassId,
        recipient,
      });
      if (a.revokedAt)
        facts.push({ kind: 'revoked', month: monthOf(a.revokedAt), badgeId: a.badgeClassId });
    }
    for (const r of requests) {
      facts.push({ kind: 'requestReceived', month: monthOf(r.createdAt), badgeId: r.badgeClassId });
      if (r.decidedAt && (r.status === 'approved' || r.status === 'rejected'))
        facts.push({
          kind: 'requestDecided',
          month: monthOf(r.decidedAt),
          badgeId: r.badgeClassId,
        });
    }
    for (const e of endorsements)
      facts.push({ kind: 'recommended', month: monthOf(e.issuedOn), badgeId: e.badgeClassId });

    const statistics = buildMonthlyStatistics({ issuers, badges, facts, currentMonth });
    // Complete months only: the figures change when a month closes or the settings change.
    const monthStart = new Date(`${currentMonth}-01T00:00:00Z`);
    let lastModified = monthStart > now ? now : monthStart;
    for (const s of settings) if (s.updatedAt > lastModified) lastModified = s.updatedAt;
    lastModified = new Date(Math.floor(lastModified.getTime() / 1000) * 1000);
    return { statistics, lastModified };
  }

  const file = (body: string, lastModified: Date): PublishedFile => ({
    body,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    lastModified,
  });

  return {
    snapshot,
    async csv(): Promise<PublishedFile> {
      const s = await snapshot();
      return file(toCsv(s.statistics.rows), s.lastModified);
    },
    async json(): Promise<PublishedFile> {
      const s = await snapshot();
      return file(`${JSON.stringify(toJsonRows(s.statistics.rows), null, 1)}\n`, s.lastModified);
    },
    file,

    /** Every issuer with its settings (admin page). */
    async settingsList() {
      const all = new Map((await repo.allSettings()).map((s) => [s._id, s]));
      return (await repo.issuers()).map((i) => ({
        id: i._id,
        name: i.name,
        settings: all.get(i._id),
      }));
    },
    async settingsOf(issuerId: string) {
      const [issuer] = await repo.issuers([issuerId]);
      if (!issuer) throw new NotFoundError();
      const settings = (await repo.allSettings()).find((s) => s._id === issuerId);
      return { id: issuer._id, name: issuer.name, settings };
    },
    async updateSettings(input: SettingsInput, actor: { id: string; email?: string }, ip: string) {
      const [issuer] = await repo.issuers([input.issuerId]);
      if (!issuer) throw new NotFoundError();
      const errors: FieldError[] = [];
      if (!MONTH.test(input.fromMonth))
        errors.push({ field: 'fromMonth', messageKey: 'openData.admin.errors.fromMonth' });
      if (input.communeCode && !INSEE.test(input.communeCode))
        errors.push({ field: 'communeCode', messageKey: 'openData.admin.errors.communeCode' });
      if (input.mediationPlaceId && !PLACE_ID.test(input.mediationPlaceId))
        errors.push({
          field: 'mediationPlaceId',
          messageKey: 'openData.admin.errors.mediationPlaceId',
        });
      if (errors.length) throw new ValidationError(errors);
      const doc: OpenDataSettingsDoc = {
        _id: input.issuerId,
        publish: input.publish,
        fromMonth: input.fromMonth,
        ...(input.communeCode ? { communeCode: input.communeCode } : {}),
        ...(input.mediationPlaceId ? { mediationPlaceId: input.mediationPlaceId } : {}),
        updatedAt: clock(),
        updatedBy: actor.id,
      };
      await repo.saveSettings(doc);
      await deps.audit.record({
        action: 'openData.settingsUpdated',
        actor,
        target: { type: 'issuer', id: input.issuerId },
        issuerId: input.issuerId,
        ip,
        details: {
          publish: input.publish,
          fromMonth: input.fromMonth,
          communeCode: input.communeCode || undefined,
          mediationPlaceId: input.mediationPlaceId || undefined,
        },
      });
    },
  };
}

export type OpenDataUseCases = ReturnType<typeof openDataUseCases>;
