import type { Database } from 'better-sqlite3';
import { readerProfileSchema } from '../../../shared/reports/report-model.ts';
import type { ReaderProfile } from '../../../shared/reports/report-model.ts';
import { recordAudit } from './audit.ts';
import type { Actor } from './audit.ts';

/** The reader profiles a report is signed with: name, credentials, signature line and reading institution. */
export function listReaderProfiles(db: Database): ReaderProfile[] {
  return db
    .prepare('SELECT id, name, credentials, signature_line AS signatureLine, institution FROM reader_profiles ORDER BY name, id')
    .all() as ReaderProfile[];
}

export function getReaderProfile(db: Database, id: string): ReaderProfile | null {
  const row = db.prepare('SELECT id, name, credentials, signature_line AS signatureLine, institution FROM reader_profiles WHERE id = ?').get(id);
  return (row as ReaderProfile | undefined) ?? null;
}

/**
 * Adds or updates a profile. A signature already made keeps the name it was made with (the
 * signature rows copy it), so editing a profile never rewrites a signed report.
 */
export function saveReaderProfile(db: Database, profile: ReaderProfile, actor: Actor): ReaderProfile {
  const valid = readerProfileSchema.parse(profile);
  const now = new Date().toISOString();
  db.transaction(() => {
    db.prepare(`INSERT INTO reader_profiles (id, name, credentials, signature_line, institution, created_at, updated_at)
        VALUES (@id, @name, @credentials, @signatureLine, @institution, @now, @now)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, credentials = excluded.credentials,
          signature_line = excluded.signature_line, institution = excluded.institution, updated_at = excluded.updated_at`)
      .run({ ...valid, institution: valid.institution?.trim() ?? '', now });
    recordAudit(db, null, 'profile', actor, `reader profile ${valid.id} saved: ${valid.name}`, now);
  })();
  return valid;
}
