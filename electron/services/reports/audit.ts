import type { Database } from 'better-sqlite3';
import { currentUser } from '../library/unfiled.ts';

/** Who acts on a report: the operating system's user, and the reader profile when one is named. */
export interface Actor {
  osUser: string;
  profileId: string | null;
}

export function actorHere(profileId: string | null = null): Actor {
  return { osUser: currentUser(), profileId };
}

export const AUDIT_ACTIONS = [
  'created', 'opened', 'edited', 'signed', 'addendum', 'exported', 'communication', 'outcome', 'key-image', 'profile',
  // A reader's choice of a mammogram's orientation (no report: report_ref is null).
  'orientation',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  id: number;
  reportId: number | null;
  action: AuditAction;
  osUser: string;
  profileId: string | null;
  at: string;
  detail: string;
}

/** Appends one audit event; call it inside the transaction of the change it records. */
export function recordAudit(db: Database, reportId: number | null, action: AuditAction, actor: Actor, detail: string, at = new Date().toISOString()): void {
  db.prepare('INSERT INTO audit_events (report_ref, action, os_user, profile_ref, at, detail) VALUES (?, ?, ?, ?, ?, ?)')
    .run(reportId, action, actor.osUser, actor.profileId, at, detail);
}

export function listAudit(db: Database, reportId: number): AuditEvent[] {
  return db
    .prepare(`SELECT id, report_ref AS reportId, action, os_user AS osUser, profile_ref AS profileId, at, detail
      FROM audit_events WHERE report_ref = ? ORDER BY id`)
    .all(reportId) as AuditEvent[];
}

/** The audit events of one action, oldest first (events without a report, such as orientation choices). */
export function listAuditOf(db: Database, action: AuditAction): AuditEvent[] {
  return db
    .prepare(`SELECT id, report_ref AS reportId, action, os_user AS osUser, profile_ref AS profileId, at, detail
      FROM audit_events WHERE action = ? ORDER BY id`)
    .all(action) as AuditEvent[];
}
