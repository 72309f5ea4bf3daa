import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/services/library/migrations/index.ts';
import { migrate, openLibrary } from '../../electron/services/library/database.ts';
import { listLocalPatients } from '../../electron/services/library/patients.ts';
import { getStudyDetail, listStudies } from '../../electron/services/library/studies.ts';
import { concord, concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { buildIdentityMedia } from '../support/identity-media.ts';
import { cleanupTempDirs, openIndex, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

interface Identity { id: number; patientId: string; issuer: string; name: string; birthDate: string; sex: string; facilities: string[];
  imports: { sessionId: number; source: string }[] }
interface Patients { patients: { id: number; name: string; birthDate: string; sex: string; identities: Identity[];
  studies: { studyInstanceUid: string; studyDate: string; modalities: string[]; facility: string }[] }[] }
interface Proposals { proposals: { id: number; identities: Identity[]; evidence: { attribute: string; values: string[]; agrees: boolean | null }[] }[] }

describe.skipIf(!haveCorpus() || !haveTool('dcmodify', 'dcmtk'))('reconciling one woman across two facilities (built command line)', () => {
  const library = tempDir();
  const media = buildIdentityMedia(tempDir());
  const patients = (): Patients['patients'] => concordJson<Patients>(['patients', '--library', library]).patients;
  const patientOf = (patientId: string): Patients['patients'][number] | undefined =>
    patients().find((p) => p.identities.some((i) => i.patientId === patientId));

  beforeAll(() => {
    for (const medium of [media.prior, media.current, media.lookAlike]) {
      const summary = concordJson<{ status: string; counts: { imported: number } }>(['import', medium.path, '--library', library]);
      expect(summary.status).toBe('completed');
      expect(summary.counts.imported).toBe(1);
    }
  });

  it('keeps three identities exactly as received, nothing linked before a person accepts', () => {
    const all = patients();
    expect(all).toHaveLength(3);
    for (const patient of all) {
      expect(patient.identities).toHaveLength(1);
      expect(patient.studies).toHaveLength(1);
    }
    const prior = patientOf('B-77');
    expect(prior?.identities[0]).toMatchObject({ name: 'MUELLER^ANNA^^^', birthDate: '19650412', sex: 'F', facilities: ['Hospital B'] });
    expect(prior?.identities[0]?.imports[0]?.source).toBe(media.prior.path);
    // The stored file still carries the outside values.
    const db = openIndex(library);
    const stored = db.prepare("SELECT patient_name FROM patients WHERE patient_id = 'A-1001'").get() as { patient_name: string };
    // The imports themselves proposed the link (no one has asked yet), and linked nothing.
    const proposed = db.prepare("SELECT count(*) AS n FROM link_proposals WHERE status = 'open'").get() as { n: number };
    db.close();
    expect(proposed.n).toBe(1);
    expect(stored.patient_name).toBe('Müller^Anna');
  });

  it('proposes one link, for the same woman, with its evidence attribute by attribute', () => {
    const { proposals } = concordJson<Proposals>(['reconcile', '--library', library]);
    expect(proposals).toHaveLength(1);
    const [proposal] = proposals;
    expect(proposal?.identities.map((i) => i.patientId).sort()).toEqual(['A-1001', 'B-77']);
    const evidence = Object.fromEntries((proposal?.evidence ?? []).map((e) => [e.attribute, e]));
    expect(evidence.name?.agrees).toBe(true);
    expect(evidence.birthDate).toMatchObject({ agrees: true, values: ['19650412', '19650412'] });
    expect(evidence.sex?.agrees).toBe(true);
    expect(evidence.patientId?.agrees).toBeNull();
    // The look-alike (same name, another birth date) is in no proposal.
    expect(proposals.flatMap((p) => p.identities.map((i) => i.patientId))).not.toContain('C-5');
    // Asking again proposes nothing new.
    expect(concordJson<Proposals>(['reconcile', '--library', library]).proposals.map((p) => p.id)).toEqual([proposal?.id]);
  });

  it('joins the two after accept, the worklist and priors follow, and undo splits them again', () => {
    const [proposal] = concordJson<Proposals>(['reconcile', '--library', library]).proposals;
    const accepted = concordJson<{ localPatientId: number; by: string }>(
      ['reconcile', 'accept', String(proposal?.id), '--by', 'dr.reader', '--library', library]);
    expect(accepted.by).toBe('dr.reader');
    expect(patients()).toHaveLength(2);
    const joined = patientOf('A-1001');
    expect(joined?.id).toBe(accepted.localPatientId);
    expect(joined?.identities.map((i) => i.patientId).sort()).toEqual(['A-1001', 'B-77']);
    expect(joined?.studies.map((s) => [s.studyDate, s.facility])).toEqual([['20230210', 'Hospital B'], ['20240315', 'Clinic A']]);
    expect(patientOf('C-5')?.identities).toHaveLength(1);
    expect(concordJson<Proposals>(['reconcile', '--library', library]).proposals).toHaveLength(0);

    // The worklist names the local patient; the prior from facility B is the current study's prior.
    const lib = openLibrary(library);
    try {
      const current = listStudies(lib.db).find((s) => s.patientId === 'A-1001');
      expect(current?.localPatientId).toBe(joined?.id);
      expect(current?.openProposals).toBe(0);
      const detail = getStudyDetail(lib.db, current?.studyInstanceUid ?? '');
      expect(detail?.otherStudies.map((s) => s.patientId)).toEqual(['B-77']);
    } finally {
      lib.close();
    }

    // A decided proposal cannot be decided again.
    const again = concord(['reconcile', 'reject', String(proposal?.id), '--library', library]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already accepted \(by dr\.reader at /);

    const prior = joined?.identities.find((i) => i.patientId === 'B-77');
    const undone = concordJson<{ localPatientId: number }>(
      ['reconcile', 'undo', String(joined?.id), String(prior?.id), '--by', 'dr.second', '--library', library]);
    expect(patients()).toHaveLength(3);
    expect(patientOf('B-77')?.id).toBe(undone.localPatientId);
    expect(patientOf('A-1001')?.studies).toHaveLength(1);
    // An undone link is not proposed again.
    expect(concordJson<Proposals>(['reconcile', '--library', library]).proposals).toHaveLength(0);

    const db = openIndex(library);
    const events = db.prepare('SELECT action, decided_by AS by, decided_at AS at FROM reconciliation_events ORDER BY id').all() as
      { action: string; by: string; at: string }[];
    db.close();
    expect(events.map((e) => [e.action, e.by])).toEqual([['accept', 'dr.reader'], ['undo', 'dr.second']]);
    expect(events.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
  });

  it('refuses an undo of a patient\'s only identity and an unknown proposal', () => {
    const only = patientOf('C-5');
    const undo = concord(['reconcile', 'undo', String(only?.id), String(only?.identities[0]?.id), '--library', library]);
    expect(undo.status).toBe(1);
    expect(undo.stderr).toMatch(/only identity/);
    expect(concord(['reconcile', 'accept', '999', '--library', library]).status).toBe(1);
    expect(concord(['reconcile', 'accept', 'x', '--library', library]).status).toBe(2);
  });

  it('rejects: the pair is recorded and never proposed again', () => {
    const other = tempDir();
    for (const medium of [media.prior, media.current]) {
      concordJson(['import', medium.path, '--library', other]);
    }
    const [proposal] = concordJson<Proposals>(['reconcile', '--library', other]).proposals;
    expect(proposal).toBeDefined();
    const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
    const rejected = concordJson<{ status: string; by: string }>(['reconcile', 'reject', String(proposal?.id), '--library', other]);
    expect(rejected).toMatchObject({ status: 'rejected', by: user });
    // Another import of the same media proposes nothing again.
    concordJson(['import', media.prior.path, '--library', other]);
    expect(concordJson<Proposals>(['reconcile', '--library', other]).proposals).toHaveLength(0);
    expect(concordJson<Patients>(['patients', '--library', other]).patients).toHaveLength(2);
  });
});

describe.skipIf(!haveCorpus() || !haveTool('dcmodify', 'dcmtk'))('Other Patient IDs as evidence (built command line)', () => {
  /** One medium: a corpus MR on a copy, with a new study and the given patient attributes. */
  function medium(folder: string, source: string, attributes: string[]): string {
    const path = join(tempDir(), folder);
    mkdirSync(path, { recursive: true });
    const file = join(path, 'IMAGE1');
    cpSync(source, file);
    execFileSync('dcmodify', ['-nb', '-gst', '-gse', '-gin', '-i', '(0010,0030)=19800202', '-i', '(0010,0040)=F', ...attributes.flatMap((a) => ['-i', a]), file], { stdio: 'ignore' });
    return path;
  }

  it('links a renamed woman only through the other facility\'s ID her record lists, and says so', () => {
    const library = tempDir();
    // The same woman under her maiden and her married name: the names do not agree, so only the
    // newer facility's Other Patient IDs, which list the older facility's ID, make the proposal.
    const older = medium('older', corpus('08-transfer-syntaxes', 'WG04_MR1_RLE.dcm'), ['(0010,0020)=OLD-31', '(0010,0010)=Smith^Jane']);
    const newer = medium('newer', corpus('08-transfer-syntaxes', 'WG04_MR1_JPLL.dcm'), [
      '(0010,0020)=NEW-8', '(0010,0010)=Jones^Jane', '(0010,1000)=OLD-31\\X-1',
    ]);
    // A third record of another woman with the same birth date and no link to either: never paired.
    const other = medium('other', corpus('08-transfer-syntaxes', 'WG04_MR1_JLSL.dcm'), ['(0010,0020)=Z-4', '(0010,0010)=Brown^Ann']);
    for (const path of [older, newer, other]) {
      expect(concordJson<{ status: string }>(['import', path, '--library', library]).status).toBe('completed');
    }
    const db = openIndex(library);
    const stored = db.prepare("SELECT other_patient_ids AS ids FROM patients WHERE patient_id = 'NEW-8'").get() as { ids: string };
    db.close();
    expect(JSON.parse(stored.ids)).toEqual(['OLD-31', 'X-1']);
    const { proposals } = concordJson<Proposals>(['reconcile', '--library', library]);
    expect(proposals).toHaveLength(1);
    expect(proposals[0]?.identities.map((i) => i.patientId).sort()).toEqual(['NEW-8', 'OLD-31']);
    const evidence = Object.fromEntries((proposals[0]?.evidence ?? []).map((e) => [e.attribute, e]));
    expect(evidence.otherPatientIds?.agrees).toBe(true);
    expect(evidence.name?.agrees).not.toBe(true);
    expect(evidence.birthDate?.agrees).toBe(true);
  });
});

describe('migration 0020 on a library written by the old schema', () => {
  it('serves the local patient look-ups from indexes (EXPLAIN QUERY PLAN)', () => {
    const library = openLibrary(tempDir());
    const plan = (sql: string, ...params: unknown[]): string =>
      (library.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    try {
      expect(plan('SELECT identity_ref FROM identity_links WHERE local_patient_ref = ?', 1)).toMatch(/USING (COVERING )?INDEX identity_links_by_patient/);
      expect(plan("SELECT id FROM link_proposals WHERE status = 'open' ORDER BY id")).toMatch(/USING (COVERING )?INDEX link_proposals_by_status/);
      expect(plan('SELECT id FROM link_proposals WHERE identity_a = ? AND identity_b = ?', 1, 2)).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_link_proposals/);
    } finally {
      library.close();
    }
  });

  it('gives every existing identity a local patient of its own and keeps the identities as received', () => {
    const root = tempDir();
    const file = join(root, 'concord.sqlite');
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 10));
    old.exec(`
      INSERT INTO patients (id, patient_id, issuer_of_patient_id, patient_name, birth_date, sex) VALUES
        (1, 'A-1', '', 'Müller^Anna', '19650412', 'F'), (2, 'B-2', 'HOSP B', 'MUELLER^ANNA', '19650412', 'F');
      INSERT INTO studies (id, study_instance_uid, patient_ref, study_date, study_time, accession_number, issuer_of_accession_number,
        study_description, study_id, referring_physician_name, institution_name, created_at) VALUES
        (1, '1.2.3.1', 1, '20240101', '', '', '', 'MR', '', '', 'Clinic A', '2024-01-01'),
        (2, '1.2.3.2', 2, '20230101', '', '', '', 'MR', '', '', 'Hospital B', '2024-01-01');`);
    old.close();
    expect(readFileSync(file).length).toBeGreaterThan(0);

    const library = openLibrary(root);
    try {
      const patients = listLocalPatients(library.db);
      expect(patients.map((p) => [p.id, p.identities.map((i) => [i.id, i.patientId, i.issuer, i.name])])).toEqual([
        [1, [[1, 'A-1', '', 'Müller^Anna']]],
        [2, [[2, 'B-2', 'HOSP B', 'MUELLER^ANNA']]],
      ]);
      expect(patients[1]?.identities[0]?.facilities).toEqual(['Hospital B']);
      // A new identity gets a new local patient whose number was never used.
      library.db.prepare("INSERT INTO patients (patient_id, issuer_of_patient_id, patient_name, birth_date, sex) VALUES ('C', '', 'X', '', '')").run();
      const added = listLocalPatients(library.db).at(-1);
      expect(added?.id).toBe(3);
      expect(library.db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      library.close();
    }
  });
});
