import type { Database } from 'better-sqlite3';
import { issuedIdKey, matchIdentities, nameMatchKeys } from '../../../shared/patients/identity-match.ts';
import type { Evidence, PatientIdentity } from '../../../shared/patients/identity-match.ts';
import { getIdentity } from './patients.ts';
import type { IdentityRecord, IdentityRow } from './patients.ts';

/**
 * Link proposals between outside identities, and a person's decisions on them. Nothing here links
 * two identities without an accept; every accept, reject and undo is recorded with who and when.
 */

export class ReconcileError extends Error {
  constructor(
    readonly code: 'not-found' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'ReconcileError';
  }
}

export type ProposalStatus = 'open' | 'accepted' | 'rejected' | 'undone';

export interface Proposal {
  id: number;
  status: ProposalStatus;
  identities: IdentityRecord[];
  evidence: Evidence[];
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

interface ProposalRow {
  id: number;
  identity_a: number;
  identity_b: number;
  evidence: string;
  status: ProposalStatus;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

interface IdentityMatchRow extends IdentityRow {
  /** JSON array of IDs, or NULL when not indexed. */
  otherPatientIds: string | null;
}

function asIdentity(row: IdentityMatchRow): PatientIdentity {
  // NULL: an identity indexed before Other Patient IDs were read; the evidence says so rather than guessing.
  const otherPatientIds = row.otherPatientIds === null ? null : (JSON.parse(row.otherPatientIds) as string[]);
  return { patientId: row.patientId, issuer: row.issuer, name: row.name, birthDate: row.birthDate, sex: row.sex, otherPatientIds };
}

/**
 * The pairs (i < j, in id order) of one birth date's identities that could match: those sharing a
 * normalised name spelling or an issuer's ID. The same birth date alone (a placeholder date on
 * thousands of anonymised studies) never makes a pair to compare.
 */
function candidatePairs(group: IdentityMatchRow[]): [number, number][] {
  const byKey = new Map<string, number[]>();
  group.forEach((row, index) => {
    const id = issuedIdKey(row);
    // An identity that lists another's patient ID among its Other Patient IDs shares a key with it.
    const cited = [row.patientId, ...(row.otherPatientIds ? (JSON.parse(row.otherPatientIds) as string[]) : [])]
      .map((value) => value.trim())
      .filter(Boolean)
      .map((value) => `cited:${value}`);
    for (const key of [...nameMatchKeys(row.name), ...(id ? [id] : []), ...cited]) {
      const list = byKey.get(key) ?? [];
      list.push(index);
      byKey.set(key, list);
    }
  });
  const pairs = new Map<string, [number, number]>();
  for (const members of byKey.values()) {
    for (let x = 0; x < members.length; x += 1) {
      for (let y = x + 1; y < members.length; y += 1) {
        const i = members[x] as number;
        const j = members[y] as number;
        pairs.set(`${i},${j}`, [i, j]);
      }
    }
  }
  return [...pairs.values()];
}

/**
 * Proposes a link for every pair of identities that the matching rules call a match, that belong to
 * different local patients and that were never proposed before (a rejected or undone pair is never
 * proposed again). A match needs the same birth date, so only identities sharing one are compared.
 * Returns the number of new proposals.
 */
export function generateProposals(db: Database, now: Date = new Date()): number {
  const rows = db
    .prepare(`SELECT p.id, l.local_patient_ref AS localPatientId, p.patient_id AS patientId, p.issuer_of_patient_id AS issuer,
        p.patient_name AS name, p.birth_date AS birthDate, p.sex, p.other_patient_ids AS otherPatientIds
      FROM patients p JOIN identity_links l ON l.identity_ref = p.id
      WHERE trim(p.birth_date) <> '' ORDER BY trim(p.birth_date), p.id`)
    .all() as IdentityMatchRow[];
  const known = db.prepare('SELECT 1 FROM link_proposals WHERE identity_a = ? AND identity_b = ?');
  const insert = db.prepare(`INSERT INTO link_proposals (identity_a, identity_b, evidence, status, created_at)
    VALUES (?, ?, ?, 'open', ?)`);
  let created = 0;
  db.transaction(() => {
    let start = 0;
    while (start < rows.length) {
      let end = start + 1;
      const date = (rows[start] as IdentityMatchRow).birthDate.trim();
      while (end < rows.length && (rows[end] as IdentityMatchRow).birthDate.trim() === date) {
        end += 1;
      }
      for (const [i, j] of candidatePairs(rows.slice(start, end))) {
        const a = rows[start + i] as IdentityMatchRow;
        const b = rows[start + j] as IdentityMatchRow;
        if (a.localPatientId === b.localPatientId || known.get(a.id, b.id)) {
          continue;
        }
        const result = matchIdentities(asIdentity(a), asIdentity(b));
        if (result.verdict === 'match') {
          insert.run(a.id, b.id, JSON.stringify(result.evidence), now.toISOString());
          created += 1;
        }
      }
      start = end;
    }
  })();
  return created;
}

function toProposal(db: Database, row: ProposalRow): Proposal {
  const identities = [getIdentity(db, row.identity_a), getIdentity(db, row.identity_b)].filter(
    (identity): identity is IdentityRecord => identity !== null,
  );
  return {
    id: row.id,
    status: row.status,
    identities,
    evidence: JSON.parse(row.evidence) as Evidence[],
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
  };
}

/**
 * Open proposals whose identities still belong to different local patients (a pair already joined
 * through other accepted links needs no decision), optionally only those touching one local patient.
 */
export function listOpenProposals(db: Database, localPatientId?: number): Proposal[] {
  const rows = db
    .prepare(`SELECT lp.* FROM link_proposals lp
      JOIN identity_links la ON la.identity_ref = lp.identity_a JOIN identity_links lb ON lb.identity_ref = lp.identity_b
      WHERE lp.status = 'open' AND la.local_patient_ref <> lb.local_patient_ref
        AND (? IS NULL OR la.local_patient_ref = ? OR lb.local_patient_ref = ?)
      ORDER BY lp.id`)
    .all(localPatientId ?? null, localPatientId ?? null, localPatientId ?? null) as ProposalRow[];
  return rows.map((row) => toProposal(db, row));
}

function record(db: Database, event: { action: 'accept' | 'reject' | 'undo'; proposal: number | null; identity: number | null;
  patient: number | null; by: string; at: string; detail: object }): void {
  db.prepare(`INSERT INTO reconciliation_events (action, proposal_ref, identity_ref, local_patient_ref, decided_by, decided_at, detail)
    VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(event.action, event.proposal, event.identity, event.patient, event.by, event.at, JSON.stringify(event.detail));
}

function openProposal(db: Database, proposalId: number): ProposalRow {
  const row = db.prepare('SELECT * FROM link_proposals WHERE id = ?').get(proposalId) as ProposalRow | undefined;
  if (!row) {
    throw new ReconcileError('not-found', `No link proposal ${proposalId}`);
  }
  if (row.status !== 'open') {
    throw new ReconcileError('conflict', `Link proposal ${proposalId} is already ${row.status}${row.decided_by ? ` (by ${row.decided_by} at ${row.decided_at})` : ''}`);
  }
  return row;
}

function localPatientOf(db: Database, identityId: number): number {
  return (db.prepare('SELECT local_patient_ref AS id FROM identity_links WHERE identity_ref = ?').get(identityId) as { id: number }).id;
}

/** Accepts a proposal: the two identities' local patients become one (the older keeps its number). */
export function acceptProposal(db: Database, proposalId: number, by: string, now: Date = new Date()): { localPatientId: number } {
  return db.transaction(() => {
    const row = openProposal(db, proposalId);
    const at = now.toISOString();
    const left = localPatientOf(db, row.identity_a);
    const right = localPatientOf(db, row.identity_b);
    const kept = Math.min(left, right);
    const merged = Math.max(left, right);
    if (kept !== merged) {
      db.prepare('UPDATE identity_links SET local_patient_ref = ?, linked_at = ? WHERE local_patient_ref = ?').run(kept, at, merged);
      db.prepare('DELETE FROM local_patients WHERE id = ?').run(merged);
    }
    db.prepare("UPDATE link_proposals SET status = 'accepted', decided_at = ?, decided_by = ? WHERE id = ?").run(at, by, proposalId);
    record(db, { action: 'accept', proposal: proposalId, identity: null, patient: kept, by, at,
      detail: { identities: [row.identity_a, row.identity_b], mergedPatient: kept === merged ? null : merged, into: kept } });
    return { localPatientId: kept };
  })();
}

/** Rejects a proposal: the pair is never proposed again. */
export function rejectProposal(db: Database, proposalId: number, by: string, now: Date = new Date()): void {
  db.transaction(() => {
    const row = openProposal(db, proposalId);
    const at = now.toISOString();
    db.prepare("UPDATE link_proposals SET status = 'rejected', decided_at = ?, decided_by = ? WHERE id = ?").run(at, by, proposalId);
    record(db, { action: 'reject', proposal: proposalId, identity: null, patient: null, by, at,
      detail: { identities: [row.identity_a, row.identity_b] } });
  })();
}

/**
 * Undoes a link: the identity leaves the local patient and becomes a local patient of its own. The
 * accepted proposals that joined it to the patient's other identities become "undone" and are not
 * proposed again. Returns the identity's new local patient.
 */
export function undoLink(db: Database, localPatientId: number, identityId: number, by: string, now: Date = new Date()): { localPatientId: number } {
  return db.transaction(() => {
    const current = db.prepare('SELECT local_patient_ref AS id FROM identity_links WHERE identity_ref = ?').get(identityId) as
      | { id: number }
      | undefined;
    if (!current || current.id !== localPatientId) {
      throw new ReconcileError('not-found', `Identity ${identityId} is not linked to patient ${localPatientId}`);
    }
    const others = (db.prepare('SELECT identity_ref AS id FROM identity_links WHERE local_patient_ref = ? AND identity_ref <> ?')
      .all(localPatientId, identityId) as { id: number }[]).map((r) => r.id);
    if (others.length === 0) {
      throw new ReconcileError('conflict', `Identity ${identityId} is patient ${localPatientId}'s only identity: there is no link to undo`);
    }
    const at = now.toISOString();
    const created = Number(db.prepare('INSERT INTO local_patients (created_at) VALUES (?)').run(at).lastInsertRowid);
    db.prepare('UPDATE identity_links SET local_patient_ref = ?, linked_at = ? WHERE identity_ref = ?').run(created, at, identityId);
    const undone = db.prepare(`UPDATE link_proposals SET status = 'undone'
      WHERE status = 'accepted' AND ((identity_a = @identity AND identity_b = @other) OR (identity_b = @identity AND identity_a = @other))`);
    for (const other of others) {
      undone.run({ identity: identityId, other });
    }
    record(db, { action: 'undo', proposal: null, identity: identityId, patient: localPatientId, by, at,
      detail: { from: localPatientId, to: created, remaining: others } });
    return { localPatientId: created };
  })();
}

export interface ReconciliationEvent {
  action: 'accept' | 'reject' | 'undo';
  proposalId: number | null;
  identityId: number | null;
  localPatientId: number | null;
  by: string;
  at: string;
  detail: unknown;
}

/** The record of decisions, oldest first. */
export function listReconciliationEvents(db: Database): ReconciliationEvent[] {
  return (db.prepare(`SELECT action, proposal_ref AS proposalId, identity_ref AS identityId, local_patient_ref AS localPatientId,
      decided_by AS "by", decided_at AS "at", detail FROM reconciliation_events ORDER BY id`)
    .all() as (Omit<ReconciliationEvent, 'detail'> & { detail: string })[]).map((row) => ({ ...row, detail: JSON.parse(row.detail) as unknown }));
}
