import type { PlatformDoc } from './platform.model.js';
import { platformRepository, type PlatformRepository } from './platform.repository.js';
import type { Connection } from 'mongoose';

export const SCHEMA_VERSION = 1;

/** Records the installation at first start; later starts find the same record. */
export async function ensureInstance(
  repo: PlatformRepository,
  input: { now: Date; softwareVersion: string },
): Promise<PlatformDoc> {
  return repo.ensureInstance({
    createdAt: input.now,
    schemaVersion: SCHEMA_VERSION,
    softwareVersion: input.softwareVersion,
  });
}

/** The installation record (when this platform started), or null before the first start. */
export function findInstance(db: Connection): Promise<PlatformDoc | null> {
  return platformRepository(db).findInstance();
}
