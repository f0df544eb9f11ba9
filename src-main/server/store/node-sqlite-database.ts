import type { SqlDatabase, SqlParam, SqlStatement, SqlValue } from './sql-database';

/** What the store uses of node:sqlite (Node 22.13+, Electron's Node); @types/node 20 has none. */
interface StatementSync {
  get(...params: unknown[]): Record<string, unknown> | undefined;
  all(...params: unknown[]): Record<string, unknown>[];
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
}
interface DatabaseSync {
  exec(sql: string): void;
  prepare(sql: string): StatementSync;
  close(): void;
}
export interface NodeSqliteModule {
  DatabaseSync: new (file: string) => DatabaseSync;
}

/**
 * node:sqlite, or null where this runtime has none (Node before 22.13). Its first load warns
 * that it is experimental: the engine is chosen on purpose and checked by the store's tests on
 * it, so that warning would only be noise in the app's log and the server's one-line errors.
 */
export function loadNodeSqlite(): NodeSqliteModule | null {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
    if (!String(warning).startsWith('SQLite is an experimental feature'))
      emitWarning.call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return (process.getBuiltinModule('node:sqlite') as NodeSqliteModule | undefined) ?? null;
  } catch {
    return null;
  } finally {
    process.emitWarning = emitWarning;
  }
}

const isNamed = (param: SqlParam | undefined): param is Record<string, SqlValue> =>
  typeof param === 'object' && param !== null && Object.getPrototypeOf(param) === Object.prototype;

/** node:sqlite takes the named parameters' object first, better-sqlite3 anywhere: moved first. */
function ordered(params: SqlParam[]): unknown[] {
  const last = params.at(-1);
  return isNamed(last) ? [last, ...params.slice(0, -1)] : params;
}

/** node:sqlite gives BLOBs as Uint8Array; the store compares and concatenates Buffers. */
function withBuffers(row: Record<string, unknown>): Record<string, unknown>;
function withBuffers(row: Record<string, unknown> | undefined): Record<string, unknown> | undefined;
function withBuffers(row: Record<string, unknown> | undefined) {
  if (row === undefined) return row;
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Uint8Array && !Buffer.isBuffer(value))
      row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return row;
}

class NodeSqliteStatement implements SqlStatement {
  constructor(private readonly statement: StatementSync) {}

  get(...params: SqlParam[]): unknown {
    return withBuffers(this.statement.get(...ordered(params)));
  }

  all(...params: SqlParam[]): unknown[] {
    return this.statement.all(...ordered(params)).map((row) => withBuffers(row));
  }

  run(...params: SqlParam[]) {
    const { changes, lastInsertRowid } = this.statement.run(...ordered(params));
    return { changes: Number(changes), lastInsertRowid };
  }
}

/** The store's SqlDatabase on node:sqlite's DatabaseSync. */
export class NodeSqliteDatabase implements SqlDatabase {
  private readonly db: DatabaseSync;
  private depth = 0;

  constructor(sqlite: NodeSqliteModule, file: string) {
    this.db = new sqlite.DatabaseSync(file);
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqlStatement {
    return new NodeSqliteStatement(this.db.prepare(sql));
  }

  /** As better-sqlite3's db.transaction(fn)(): BEGIN at the outside, a savepoint inside. */
  transaction<T>(fn: () => T): T {
    const savepoint = `nested_${this.depth}`;
    this.db.exec(this.depth === 0 ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
    this.depth++;
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.depth--;
      this.db.exec(
        this.depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`,
      );
      throw error;
    }
    this.depth--;
    this.db.exec(this.depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
    return result;
  }

  close(): void {
    this.db.close();
  }
}
