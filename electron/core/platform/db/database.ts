import Database from 'better-sqlite3';
import { migrate } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the case store and brings its schema up to date. Never called
 * at import time: the core opens it explicitly when it starts.
 *
 * `synchronous = FULL` with WAL: a committed change survives a power cut, which matters
 * more here than write speed (R4.3: nothing recorded may be lost).
 */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // REPLACE deletes the row it replaces: with recursive triggers that delete meets the
    // never-delete guards like any other.
    db.pragma('recursive_triggers = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
