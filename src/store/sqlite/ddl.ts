import type { Ddl } from '../backend.js';

// SQLite compares text with BINARY by default and has no boolean type.
export const sqliteDdl: Ddl = {
  text: 'text',
  bool: 'integer',
  int: 'integer',
  seqType: 'integer',
  seqColumn: (col) => col.primaryKey().autoIncrement(),
};
