import { Types, type Connection } from 'mongoose';
import { duplicatesOf } from '../../libraries/db/duplicates-of.js';
import { auditEventModel, type AuditAction, type AuditEventDoc } from './audit.model.js';

export interface AuditFilter {
  /** Restrict to these issuers (owners); undefined: all (admins). */
  issuerIds?: string[];
  action?: AuditAction;
  actorId?: string;
  from?: Date;
  to?: Date;
  /** Page cursor: events strictly older than this _id. */
  before?: string;
}

export function auditRepository(db: Connection) {
  const Audit = auditEventModel(db);
  return {
    /** The only writes: inserts. */
    async insert(event: Omit<AuditEventDoc, '_id'>): Promise<void> {
      await Audit.create(event);
    },
    /**
     * Many inserts in one round trip (a CSV run's awards). Events with a `onceKey` already
     * written (a step redone after a crash) are skipped; any other failure is thrown.
     */
    async insertMany(events: Omit<AuditEventDoc, '_id'>[]): Promise<void> {
      await duplicatesOf(
        Audit,
        events.map((e) => ({ _id: new Types.ObjectId(), ...e })),
      );
    },
    /** One page, newest first; `limit + 1` rows are read to know whether a next page exists. */
    async page(
      filter: AuditFilter,
      limit: number,
    ): Promise<{ events: AuditEventDoc[]; next?: string }> {
      const query: Record<string, unknown> = {};
      if (filter.issuerIds) query.issuerId = { $in: filter.issuerIds };
      if (filter.action) query.action = filter.action;
      if (filter.actorId) query.actorId = filter.actorId;
      if (filter.from || filter.to) {
        query.at = {
          ...(filter.from ? { $gte: filter.from } : {}),
          ...(filter.to ? { $lt: filter.to } : {}),
        };
      }
      if (filter.before && Types.ObjectId.isValid(filter.before)) {
        query._id = { $lt: new Types.ObjectId(filter.before) };
      }
      const rows = await Audit.find(query)
        .sort({ _id: -1 })
        .limit(limit + 1)
        .lean<AuditEventDoc[]>()
        .exec();
      const events = rows.slice(0, limit);
      const last = events[events.length - 1];
      return rows.length > limit && last ? { events, next: String(last._id) } : { events };
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
