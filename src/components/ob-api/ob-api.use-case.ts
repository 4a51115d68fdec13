import type { Connection } from 'mongoose';
import { awardModel, type AwardDoc } from '../awards/award.model.js';
import { recipientSlots } from '../awards/recipient-slots.js';
import type { AuthUser } from '../accounts/accounts.context.js';
import { AlreadyImportedError, type ImportsUseCases } from '../imports/imports.use-case.js';

/** Awards listed for one holder at most (a person holds tens; paging is within these). */
const MAX_LISTED = 1000;

/** A request's body for POST /credentials: an OpenBadgeCredential (JSON) or a compact JWS. */
export type UpsertInput = { json: unknown } | { jws: string };

/**
 * The resources of the Open Badges 3.0 API for the person a token speaks for: their badges
 * (as VC-JWTs, spec § 6.3.1), a badge from elsewhere (verified exactly as the mediator
 * space's import does), their profile.
 */
export function obApiUseCases(deps: {
  db: Connection;
  imports: Pick<ImportsUseCases, 'importBadge'>;
  loadUser: (id: string) => Promise<AuthUser | undefined | null>;
  updateName: (user: AuthUser, name: string, ip: string | undefined) => Promise<void>;
  publicUrl: string;
}) {
  const Award = awardModel(deps.db);
  const slots = recipientSlots(deps.db);
  return {
    /** The holder's badges, newest first, with the total for paging. */
    async credentials(userId: string, limit: number, offset: number, since?: Date) {
      const user = await deps.loadUser(userId);
      if (!user) return { total: 0, jws: [] as string[] };
      if (await slots.ready()) {
        type Listed = Pick<AwardDoc, '_id' | 'ob3' | 'issuedOn' | 'recipient'>;
        const mine = (
          await slots.awardsOf<Listed>(user.email, {
            limit: MAX_LISTED,
            fields: { 'ob3.jwt': 1, issuedOn: 1 },
          })
        )
          .filter((a) => !since || a.issuedOn > since)
          .sort(
            (a, b) =>
              b.issuedOn.getTime() - a.issuedOn.getTime() ||
              (a._id < b._id ? -1 : a._id > b._id ? 1 : 0),
          );
        return {
          total: mine.length,
          jws: mine.slice(offset, offset + limit).map((a) => a.ob3.jwt),
        };
      }
      const filter = {
        'recipient.email': user.email,
        ...(since ? { issuedOn: { $gt: since } } : {}),
      };
      const [total, awards] = await Promise.all([
        Award.countDocuments(filter).exec(),
        Award.find(filter, { 'ob3.jwt': 1, issuedOn: 1 })
          .sort({ issuedOn: -1, _id: 1 })
          .skip(offset)
          .limit(limit)
          .lean<Pick<AwardDoc, '_id' | 'ob3'>[]>()
          .exec(),
      ]);
      return { total, jws: awards.map((a) => a.ob3.jwt) };
    },

    /** Imports a badge of another platform: created (true) or already there (false). */
    async upsert(userId: string, input: UpsertInput): Promise<{ created: boolean; id: string }> {
      const text = 'jws' in input ? input.jws : JSON.stringify(input.json);
      try {
        const { id } = await deps.imports.importBadge(userId, { way: 'text', text }, 'credential');
        return { created: true, id };
      } catch (err) {
        if (err instanceof AlreadyImportedError) return { created: false, id: err.existingId };
        throw err;
      }
    },

    /** The holder as an OB 3.0 Profile. */
    async profile(userId: string) {
      const user = await deps.loadUser(userId);
      if (!user) return undefined;
      return {
        id: `${deps.publicUrl}/ims/ob/v3p0/profile#${encodeURIComponent(user.id)}`,
        type: ['Profile'],
        name: user.name,
        email: user.email,
      };
    },

    /** Only the name may change here (the address has its own confirmation by email). */
    async updateProfile(userId: string, name: string, ip: string | undefined) {
      const user = await deps.loadUser(userId);
      if (!user) return undefined;
      if (name !== user.name) await deps.updateName(user, name, ip);
      return this.profile(userId);
    },
  };
}
export type ObApiUseCases = ReturnType<typeof obApiUseCases>;
