import { createHash, randomBytes } from 'node:crypto';
import { FetchError, StepId, type Fetcher, type VerificationStep } from '../../core/index.js';
import { AppError, NotFoundError } from '../../libraries/errors/app-error.js';
import type { Logger } from '../../libraries/logger/logger.js';
import {
  VerificationInputError,
  type VerificationInput,
  type VerificationOutcome,
  type VerificationService,
} from '../verification/verification.use-case.js';
import { dataUriBytes, imageCopy } from './imported-image.js';
import type { ImportVerdict, ImportedBadgeDoc } from './imported-badge.model.js';
import type { ImportsRepository } from './imports.repository.js';

/**
 * Badges from other platforms (Open Badge Factory, Credly, Badgr…): a mediator brings one by
 * address, baked image or pasted text; our verifier (the public /verifier's service) checks it,
 * including that it was awarded to one of the mediator's verified addresses; it is stored with
 * its verdict and verified again whenever it is shown, apart from the cooperative's own badges.
 */

/** Why an import is refused (an i18n key under imports.refused). */
export type ImportRefusal =
  'not_verified' | 'wrong_recipient' | 'recipient_unknown' | 'own_badge' | 'not_an_award';

/** The badge cannot be imported; `outcome` says why in the verifier's words. */
export class ImportRefusedError extends AppError {
  constructor(
    readonly reason: ImportRefusal,
    readonly field: string,
    readonly outcome: VerificationOutcome,
  ) {
    super(422, `import_${reason}`, { messageKey: `imports.refused.${reason}` });
  }
}

/** The same badge is already among this person's imports. */
export class AlreadyImportedError extends AppError {
  constructor(
    readonly existingId: string,
    readonly field: string,
  ) {
    super(409, 'import_duplicate', { messageKey: 'imports.refused.duplicate' });
  }
}

export interface ImportsDeps {
  repo: ImportsRepository;
  clock: () => Date;
  logger: Logger;
  /** The verified addresses of an account (today its one address; more may come). */
  emailsOf: (userId: string) => Promise<string[]>;
  /** The app's verification service (bound once the app has built it). */
  verification: () => VerificationService;
  /** Fetches the badge image of another site (SSRF-safe); without it only embedded images are kept. */
  imageFetcher?: Fetcher;
}

/** An imported badge with the result of the check just made. */
export interface LiveImportedBadge {
  record: ImportedBadgeDoc;
  outcome: VerificationOutcome;
}

/** What a public profile shows of an imported badge. */
export interface ProfileImportedBadge {
  id: string;
  title: string;
  issuer: string;
  /** Served by this platform (absent when no image could be kept). */
  imageUrl?: string;
  verdict: ImportVerdict;
  checkedAt: string;
  revoked: boolean;
}

/** The URL of an imported badge's image on this platform. */
export const importedImagePath = (id: string) => `/badges-importes/${encodeURIComponent(id)}/image`;

const newId = () => randomBytes(12).toString('base64url');

function step(outcome: VerificationOutcome, id: string): VerificationStep | undefined {
  return outcome.report.steps.find((s) => s.id === id);
}

/** The verifier said the recipient is the one of the expected address. */
function recipientMatches(outcome: VerificationOutcome): boolean {
  const s = step(outcome, StepId.recipient);
  return s !== undefined && s.ok && s.level === 'info' && s.message.endsWith('.match');
}

/** Only the recipient check failed: the badge is fine, but someone else's. */
function onlyRecipientFails(outcome: VerificationOutcome): boolean {
  const errors = outcome.report.steps.filter((s) => s.level === 'error');
  return errors.length > 0 && errors.every((s) => s.id === StepId.recipient);
}

function dedupeKey(userId: string, outcome: VerificationOutcome): string {
  const badge = outcome.report.badge;
  const basis = badge?.id
    ? `id:${badge.id}`
    : `doc:${JSON.stringify(outcome.report.document ?? badge ?? {})}`;
  return `${userId}:${createHash('sha256').update(basis).digest('hex')}`;
}

/** How to verify a stored import again: from its address, or from what was handed to us. */
function inputOf(record: ImportedBadgeDoc): VerificationInput {
  if (record.way === 'url' && record.sourceUrl) return { way: 'url', url: record.sourceUrl };
  const bytes = new Uint8Array(bytesOf(record.original));
  if (record.way === 'text') return { way: 'text', text: Buffer.from(bytes).toString('utf8') };
  return { way: 'file', bytes };
}

/** A Buffer field as read with lean(): a Buffer, or the driver's BSON Binary. */
export function bytesOf(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  const inner = (value as { buffer?: unknown } | undefined)?.buffer;
  if (inner instanceof Uint8Array) return Buffer.from(inner);
  return Buffer.alloc(0);
}

export function importsUseCases(deps: ImportsDeps) {
  const { repo, clock, logger } = deps;

  /**
   * Verifies with each verified address of the person until the recipient matches (one run for
   * most people, who have one address); returns the last run and the matching address.
   */
  async function verifyFor(
    userId: string,
    input: VerificationInput,
  ): Promise<{ outcome: VerificationOutcome; email?: string }> {
    const emails = await deps.emailsOf(userId);
    let outcome: VerificationOutcome | undefined;
    for (const email of emails) {
      outcome = await deps.verification().verify(input, { expectedEmail: email });
      if (recipientMatches(outcome)) return { outcome, email };
      // Unreadable, or identified otherwise than by an address: another address changes nothing.
      if (step(outcome, StepId.recipient)?.level !== 'error') break;
    }
    return { outcome: outcome ?? (await deps.verification().verify(input)) };
  }

  /** A small copy of the badge image: the uploaded image itself, an embedded one, or fetched. */
  async function imageFor(
    input: VerificationInput,
    outcome: VerificationOutcome,
  ): Promise<Pick<ImportedBadgeDoc, 'image' | 'imageUrl'>> {
    const container = outcome.source.container;
    if (input.way === 'file' && (container === 'png' || container === 'svg')) {
      const copy = imageCopy(input.bytes);
      if (copy) return { image: copy };
    }
    const image = outcome.report.badge?.image;
    if (!image) return {};
    if (image.startsWith('data:')) {
      const bytes = dataUriBytes(image);
      const copy = bytes && imageCopy(bytes);
      return copy ? { image: copy } : {};
    }
    if (!/^https?:\/\//i.test(image)) return {};
    if (deps.imageFetcher) {
      try {
        const got = await deps.imageFetcher(image, { kind: 'image' });
        const copy = got.status === 200 ? imageCopy(got.body) : undefined;
        if (copy) return { image: copy, imageUrl: image };
      } catch (err) {
        if (!(err instanceof FetchError)) throw err;
        logger.info({ code: err.code }, 'imported badge image not fetched');
      }
    }
    return { imageUrl: image };
  }

  /** Verifies again now (the verification service reuses other platforms' results briefly). */
  async function live(record: ImportedBadgeDoc): Promise<LiveImportedBadge> {
    let outcome: VerificationOutcome;
    try {
      outcome = await deps
        .verification()
        .verify(inputOf(record), { expectedEmail: record.recipientEmail });
    } catch (err) {
      // Accepted once, so it cannot be refused now; say "not verified" rather than fail the page.
      if (!(err instanceof VerificationInputError)) throw err;
      outcome = {
        report: {
          verdict: 'not_verified',
          steps: [{ id: StepId.format, ok: false, level: 'error', message: err.messageKey }],
          checkedAt: clock().toISOString(),
        },
        source: { way: record.way, container: 'unknown' },
        cached: false,
        own: false,
      };
    }
    const checkedAt = new Date(outcome.report.checkedAt);
    if (outcome.report.verdict !== record.verdict || !outcome.cached) {
      await repo.saveVerdict(record._id, outcome.report.verdict, checkedAt);
    }
    return {
      record: { ...record, verdict: outcome.report.verdict, checkedAt },
      outcome,
    };
  }

  async function owned(userId: string, id: string): Promise<ImportedBadgeDoc> {
    const record = await repo.get(id);
    if (!record || record.userId !== userId) throw new NotFoundError();
    return record;
  }

  return {
    /**
     * Verifies and stores a badge of another platform. Refuses (ImportRefusedError) a badge
     * that does not verify, that was awarded to someone else, or that is one of ours; refuses
     * (AlreadyImportedError) one already imported. `field` names the form field in errors.
     */
    async importBadge(
      userId: string,
      input: VerificationInput,
      field: string,
    ): Promise<{ id: string; outcome: VerificationOutcome }> {
      const { outcome, email } = await verifyFor(userId, input);
      const report = outcome.report;
      if (outcome.own) throw new ImportRefusedError('own_badge', field, outcome);
      if (report.verdict === 'not_verified') {
        throw new ImportRefusedError(
          onlyRecipientFails(outcome) ? 'wrong_recipient' : 'not_verified',
          field,
          outcome,
        );
      }
      if (report.badge?.objectType) throw new ImportRefusedError('not_an_award', field, outcome);
      if (!email) throw new ImportRefusedError('recipient_unknown', field, outcome);

      const key = dedupeKey(userId, outcome);
      const existing = await repo.idByDedupeKey(key);
      if (existing) throw new AlreadyImportedError(existing, field);
      const badge = report.badge ?? { format: 'unknown' as const };
      const now = clock();
      const doc: ImportedBadgeDoc = {
        _id: newId(),
        userId,
        dedupeKey: key,
        way: input.way,
        ...(input.way === 'url' ? { sourceUrl: input.url } : {}),
        ...(input.way === 'file' ? { original: Buffer.from(input.bytes) } : {}),
        ...(input.way === 'text' ? { original: Buffer.from(input.text, 'utf8') } : {}),
        ...(report.document !== undefined ? { document: JSON.stringify(report.document) } : {}),
        ...(badge.id ? { badgeId: badge.id } : {}),
        name: badge.name?.trim() || '—',
        ...(badge.description ? { description: badge.description } : {}),
        issuerName: badge.issuer?.name?.trim() || badge.issuer?.id || '—',
        ...(badge.issuer?.id ? { issuerId: badge.issuer.id } : {}),
        ...(badge.issuer?.url ? { issuerUrl: badge.issuer.url } : {}),
        format: badge.format,
        ...(badge.issuedOn ? { issuedOn: badge.issuedOn } : {}),
        ...(badge.expires ? { expires: badge.expires } : {}),
        ...(await imageFor(input, outcome)),
        recipientEmail: email,
        verdict: report.verdict,
        checkedAt: new Date(report.checkedAt),
        visibleOnProfile: false,
        importedAt: now,
      };
      if (!(await repo.insert(doc))) {
        // Imported by a parallel request a moment ago.
        throw new AlreadyImportedError((await repo.idByDedupeKey(key)) ?? '', field);
      }
      logger.info(
        { imported: { id: doc._id, verdict: doc.verdict, format: doc.format } },
        'badge imported',
      );
      return { id: doc._id, outcome };
    },

    /** The person's imported badges, each verified again now (newest first). */
    async listLive(userId: string): Promise<LiveImportedBadge[]> {
      const records = await repo.listFor(userId);
      return Promise.all(records.map(live));
    },

    /** One imported badge of the person, verified again now. */
    async getLive(userId: string, id: string): Promise<LiveImportedBadge> {
      return live(await owned(userId, id));
    },

    async remove(userId: string, id: string): Promise<ImportedBadgeDoc> {
      const record = await owned(userId, id);
      await repo.remove(id, userId);
      return record;
    },

    async setVisibleOnProfile(
      userId: string,
      id: string,
      visible: boolean,
    ): Promise<ImportedBadgeDoc> {
      const record = await owned(userId, id);
      await repo.setVisible(id, userId, visible);
      return { ...record, visibleOnProfile: visible };
    },

    /**
     * The stored image: for its owner, or for anyone when the badge is on the owner's public
     * profile. Undefined otherwise (the route answers 404 either way).
     */
    async image(
      viewerId: string | undefined,
      id: string,
    ): Promise<{ contentType: string; data: Buffer } | undefined> {
      const record = await repo.get(id);
      if (!record?.image) return undefined;
      if (record.userId !== viewerId && !record.visibleOnProfile) return undefined;
      return { contentType: record.image.contentType, data: bytesOf(record.image.data) };
    },

    /**
     * What a public profile shows of the person's imported badges marked visible: title,
     * issuer, image URL and the verdict of a check made now (for the profile component).
     */
    async importedBadgesForProfile(userId: string): Promise<ProfileImportedBadge[]> {
      const records = (await repo.listFor(userId)).filter((r) => r.visibleOnProfile);
      const checked = await Promise.all(records.map(live));
      return checked.map(({ record, outcome }) => ({
        id: record._id,
        title: record.name,
        issuer: record.issuerName,
        ...(record.image ? { imageUrl: importedImagePath(record._id) } : {}),
        verdict: outcome.report.verdict,
        checkedAt: outcome.report.checkedAt,
        revoked: outcome.report.badge?.revoked === true,
      }));
    },
  };
}
export type ImportsUseCases = ReturnType<typeof importsUseCases>;
