/**
 * Applies the versioned migrations with umzug (https://github.com/sequelize/umzug), each recorded in a
 * `schema_migrations (name, at)` table of the database it changed.
 * - SQLite: inside one `BEGIN IMMEDIATE` transaction, so two processes opening a file at once apply each
 *   migration once.
 * - PostgreSQL: on one connection holding a transaction-level advisory lock, so replicas starting
 *   together wait for each other; all pending migrations commit together.
 */
import type Database from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';
import { Umzug, type UmzugStorage } from 'umzug';
import type { SqliteMigration } from './sqlite.js';
import { postgresMigrations, type PostgresMigration } from './postgres.js';

/** Runs the pending `migrations` of a SQLite file. Returns the names applied now. */
export async function migrateSqlite(db: Database.Database, migrations: SqliteMigration[]): Promise<string[]> {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, at INTEGER NOT NULL)');
  const storage: UmzugStorage<Database.Database> = {
    async logMigration({ name }) {
      db.prepare('INSERT INTO schema_migrations (name, at) VALUES (?, ?)').run(name, Date.now());
    },
    async unlogMigration({ name }) {
      db.prepare('DELETE FROM schema_migrations WHERE name = ?').run(name);
    },
    async executed() {
      return (db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((r) => r.name);
    },
  };
  const umzug = new Umzug<Database.Database>({
    migrations: migrations.map((m) => ({ name: m.name, up: async () => m.up(db) })),
    context: db,
    storage,
    logger: undefined,
  });
  // cheap check first: a file that is up to date is not locked at all
  if ((await umzug.pending()).length === 0) return [];
  db.exec('BEGIN IMMEDIATE');
  try {
    const done = await umzug.up();
    db.exec('COMMIT');
    return done.map((m) => m.name);
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/** Advisory lock key of the migrations (any constant shared by every replica). */
const MIGRATION_LOCK = 0x646a5f6d; // "dj_m"

/** Runs the pending PostgreSQL `migrations` (default: all of them). Returns the names applied now. */
export async function migratePostgres(pool: Pool, migrations: PostgresMigration[] = postgresMigrations): Promise<string[]> {
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, at BIGINT NOT NULL)');
    const storage: UmzugStorage<PoolClient> = {
      async logMigration({ name }) {
        await client.query('INSERT INTO schema_migrations (name, at) VALUES ($1, $2)', [name, Date.now()]);
      },
      async unlogMigration({ name }) {
        await client.query('DELETE FROM schema_migrations WHERE name = $1', [name]);
      },
      async executed() {
        return (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name);
      },
    };
    const umzug = new Umzug<PoolClient>({
      migrations: migrations.map((m) => ({ name: m.name, up: async () => m.up(client) })),
      context: client,
      storage,
      logger: undefined,
    });
    const done = await umzug.up();
    await client.query('COMMIT');
    return done.map((m) => m.name);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
