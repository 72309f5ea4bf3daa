import type { Database } from 'better-sqlite3';
import { migrate0010 } from './0010-initial-schema.ts';
import { migrate0020 } from './0020-local-patients.ts';
import { migrate0030 } from './0030-import-notes.ts';
import { migrate0040 } from './0040-unfiled-instances.ts';
import { migrate0050 } from './0050-other-patient-ids.ts';
import { migrate0060 } from './0060-mr-series-attributes.ts';
import { migrate0070 } from './0070-hanging.ts';
import { migrate0080 } from './0080-reports.ts';
import { migrate0090 } from './0090-orientation-choices.ts';
import { migrate0100 } from './0100-reader-institution.ts';
import { migrate0110 } from './0110-library-identity.ts';
import { migrate0120 } from './0120-signatures-kept.ts';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

/** Numbered migrations, in order. A landed migration is never edited; add a new one instead. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 10, name: 'initial schema', up: migrate0010 },
  { version: 20, name: 'local patients and reconciliation', up: migrate0020 },
  { version: 30, name: 'import notes and ambiguous identity', up: migrate0030 },
  { version: 40, name: 'unfiled instances', up: migrate0040 },
  { version: 50, name: 'other patient IDs of outside identities', up: migrate0050 },
  { version: 60, name: 'MR series attributes for hanging protocols', up: migrate0060 },
  { version: 70, name: 'hanging protocols, preferences and pixel hints', up: migrate0070 },
  { version: 80, name: 'second-opinion reports', up: migrate0080 },
  { version: 90, name: 'orientation choices, audited', up: migrate0090 },
  { version: 100, name: 'reading institution of reader profiles and signatures', up: migrate0100 },
  { version: 110, name: 'library identity', up: migrate0110 },
  { version: 120, name: 'signatures and addenda never deleted', up: migrate0120 },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
