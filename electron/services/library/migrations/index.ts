import type { Database } from 'better-sqlite3';
import { migrate0010 } from './0010-initial-schema.ts';
import { migrate0040 } from './0040-unfiled-instances.ts';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

/** Numbered migrations, in order. A landed migration is never edited; add a new one instead. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 10, name: 'initial schema', up: migrate0010 },
  { version: 40, name: 'unfiled instances', up: migrate0040 },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
