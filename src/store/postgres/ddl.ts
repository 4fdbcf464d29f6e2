import { sql } from 'kysely';
import type { Ddl } from '../backend.js';

// COLLATE "C": ids and ISO timestamps must sort byte by byte, as in SQLite, whatever the
// database's default collation (en_US would ignore punctuation and fold case).
export const postgresDdl: Ddl = {
  text: sql`text collate "C"`,
  bool: 'boolean',
  int: 'integer',
  seqType: 'bigint',
  seqColumn: (col) => col.primaryKey().generatedByDefaultAsIdentity(),
};
