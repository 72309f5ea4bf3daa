import type { Database } from 'better-sqlite3';
import { DEFAULT_HANGING_PREFERENCES, hangingPreferencesSchema } from '../../../shared/hanging/protocol.ts';
import type { HangingPreferences, HangingProtocol } from '../../../shared/hanging/protocol.ts';
import { FACTORY_PROTOCOLS } from '../../../shared/hanging/protocols/index.ts';
import { validateProtocol } from '../../../shared/hanging/user-protocols.ts';

/**
 * The reader's protocols and hanging preferences, kept in the library (migration 0070) so they
 * survive restarts and serve the app, the browser host and the command line alike. Definitions are
 * checked against the protocol schema on the way in and on the way out: a row edited by hand or
 * written by a newer Concord is reported, never handed to the engine half-valid.
 */
export type ProtocolStoreErrorCode = 'invalid' | 'not-found' | 'conflict';

export class ProtocolStoreError extends Error {
  constructor(
    readonly code: ProtocolStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolStoreError';
  }
}

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Checks a protocol definition (the schema, then what it cannot say: grids, sync groups, ids); throws `invalid` with the first problems. */
export function validProtocol(value: unknown): HangingProtocol {
  const checked = validateProtocol(value);
  if (!checked.ok) {
    throw new ProtocolStoreError('invalid', `not a valid hanging protocol: ${checked.errors.slice(0, 5).join('; ')}`);
  }
  return checked.protocol;
}

/** The user protocols, in the reader's order. */
export function listUserProtocols(db: Database): HangingProtocol[] {
  const rows = db.prepare('SELECT id, definition FROM hanging_protocols ORDER BY position, id').all() as { id: string; definition: string }[];
  return rows.map((row) => {
    try {
      return validProtocol(JSON.parse(row.definition));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new ProtocolStoreError('invalid', `the stored protocol ${row.id} is not valid: ${why}`);
    }
  });
}

/** Factory protocols first, then the user's, in order: the order the engine breaks ties in. */
export function allProtocols(db: Database): HangingProtocol[] {
  return [...FACTORY_PROTOCOLS, ...listUserProtocols(db)];
}

export function getUserProtocol(db: Database, id: string): HangingProtocol | null {
  return listUserProtocols(db).find((protocol) => protocol.id === id) ?? null;
}

/** Creates (at the end of the order) or replaces (keeping its place) a user protocol. */
export function saveUserProtocol(db: Database, value: unknown): HangingProtocol {
  const protocol = validProtocol(value);
  if (protocol.level !== 'user') {
    throw new ProtocolStoreError('invalid', `a protocol saved at this workstation has level "user", not "${protocol.level}"`);
  }
  if (FACTORY_PROTOCOLS.some((factory) => factory.id === protocol.id)) {
    throw new ProtocolStoreError('conflict', `${protocol.id} is a factory protocol's id: save it under another id`);
  }
  const now = new Date().toISOString();
  db.prepare(`INSERT INTO hanging_protocols (id, position, definition, created_at, updated_at)
      VALUES (@id, (SELECT coalesce(max(position), 0) + 1 FROM hanging_protocols), @definition, @now, @now)
      ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`)
    .run({ id: protocol.id, definition: JSON.stringify(protocol), now });
  return protocol;
}

export function deleteUserProtocol(db: Database, id: string): void {
  const deleted = db.prepare('DELETE FROM hanging_protocols WHERE id = ?').run(id);
  if (deleted.changes === 0) {
    throw new ProtocolStoreError('not-found', FACTORY_PROTOCOLS.some((p) => p.id === id)
      ? `${id} is a factory protocol: it cannot be deleted`
      : `no user protocol ${id}`);
  }
}

/** Puts the user protocols in this order; `ids` must name each of them exactly once. */
export function reorderUserProtocols(db: Database, ids: readonly string[]): void {
  db.transaction(() => {
    const existing = (db.prepare('SELECT id FROM hanging_protocols').all() as { id: string }[]).map((row) => row.id).sort();
    const wanted = [...ids].sort();
    if (new Set(ids).size !== ids.length || JSON.stringify(existing) !== JSON.stringify(wanted)) {
      throw new ProtocolStoreError('invalid', `the order must list each user protocol exactly once (${existing.join(', ') || 'none'})`);
    }
    const update = db.prepare('UPDATE hanging_protocols SET position = ? WHERE id = ?');
    ids.forEach((id, index) => update.run(index + 1, id));
  })();
}

export function readPreferences(db: Database): HangingPreferences {
  const row = db.prepare('SELECT preferences FROM hanging_preferences WHERE id = 1').get() as { preferences: string } | undefined;
  if (!row) {
    return DEFAULT_HANGING_PREFERENCES;
  }
  const parsed = hangingPreferencesSchema.safeParse(JSON.parse(row.preferences));
  if (!parsed.success) {
    throw new ProtocolStoreError('invalid', `the stored hanging preferences are not valid: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

export function writePreferences(db: Database, value: unknown): HangingPreferences {
  const parsed = hangingPreferencesSchema.safeParse(value);
  if (!parsed.success) {
    throw new ProtocolStoreError('invalid', `not valid hanging preferences: ${describeIssues(parsed.error)}`);
  }
  db.prepare(`INSERT INTO hanging_preferences (id, preferences, updated_at) VALUES (1, ?, ?)
      ON CONFLICT (id) DO UPDATE SET preferences = excluded.preferences, updated_at = excluded.updated_at`)
    .run(JSON.stringify(parsed.data), new Date().toISOString());
  return parsed.data;
}
