/**
 * Two bot replicas (two `src/main.ts` processes, webhook mode, real SDK, the Open API stand-in) on one
 * PostgreSQL: distinct @questions delivered to either at random, with duplicates (the same event to the
 * other replica at the same moment, or the same message in a new event), are each answered exactly once.
 * `scripts/replicas.ts` runs the same with 500 events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiStandin } from '../support/openapi-standin.js';
import { freshDatabase, skipPostgres } from '../support/postgres.js';
import { eventsOverReplicas, startBotReplica, type BotReplica } from '../support/replicas.js';

describe.skipIf(skipPostgres)('two bot replicas on one PostgreSQL', () => {
  let api: OpenApiStandin;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let dir: string;
  const replicas: BotReplica[] = [];

  beforeAll(async () => {
    api = await OpenApiStandin.start();
    db = await freshDatabase('bots');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-bot-replicas-'));
    replicas.push(...(await Promise.all([0, 1].map(() => startBotReplica(api, db.url, dir)))));
  }, 120_000);
  afterAll(async () => {
    for (const r of replicas) await r.stop('SIGKILL');
    await api?.close();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('120 events delivered to both at random, with duplicates: each answered exactly once', async () => {
    const run = await eventsOverReplicas(api, replicas, { n: 120, chats: 24, dupRate: 0.4, seed: 9, timeoutMs: 90_000 });
    expect(run.duplicates).toBeGreaterThan(30);
    expect(Math.min(...run.perReplica), 'both replicas took deliveries').toBeGreaterThan(30);
    expect({ lost: run.lost, twice: run.answeredTwiceOrMore, once: run.answeredOnce }).toEqual({ lost: 0, twice: 0, once: 120 });
  }, 150_000);
});
