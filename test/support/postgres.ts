/**
 * The real PostgreSQL of the tests: `TEST_DATABASE_URL` (set by `scripts/pg-test-server.sh` and `.ci/run`).
 * Each suite gets a database of its own, dropped at the end. Without the variable the PostgreSQL
 * suites are skipped, unless `REQUIRE_PG=1` (CI), which makes them fail instead.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The server URL, or undefined when PostgreSQL suites should be skipped. @throws when REQUIRE_PG=1 and no server is configured. */
export function testDatabaseUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL?.trim();
  if (!url && process.env.REQUIRE_PG === '1') throw new Error('REQUIRE_PG=1 but TEST_DATABASE_URL is not set: the PostgreSQL suites would be skipped (start one with scripts/pg-test-server.sh)');
  return url || undefined;
}

/** True when the PostgreSQL suites must be skipped (use with `describe.skipIf`). */
export const skipPostgres = testDatabaseUrl() === undefined;

/** Creates an empty database on the test server; `drop()` removes it (closing its other connections). */
export async function freshDatabase(prefix = 'dj'): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = testDatabaseUrl();
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
