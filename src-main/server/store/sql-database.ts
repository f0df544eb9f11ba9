/**
 * The little of SQLite the room store uses, so that it runs on either engine (see
 * sqlite-engine.ts): better-sqlite3's calling convention, positional parameters first and an
 * object of named ones (`@name`) last; BLOB columns come back as Buffers.
 */
export type SqlValue = string | number | bigint | Buffer | null;
export type SqlParam = SqlValue | Record<string, SqlValue>;

export interface SqlStatement {
  get(...params: SqlParam[]): unknown;
  all(...params: SqlParam[]): unknown[];
  run(...params: SqlParam[]): { changes: number; lastInsertRowid: number | bigint };
}

export interface SqlDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  /** Runs FN in a transaction (a savepoint when nested); rolls back if it throws. */
  transaction<T>(fn: () => T): T;
  close(): void;
}
