import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import pg from 'pg';
import { createNoteSigner, formatVerifierKey, generateNoteKey } from '@heoga/core';
import {
  createRegistry,
  openDatabase,
  type Engine,
  type LogIdentity,
  type Registry,
  type RegistryDeps,
} from '../src/index.js';
import { testServices } from '../../../test/support/services.js';

/** Deterministic side effects: a clock that advances 1 ms per reading, and counting ids. */
export function testDeps(start = '2026-11-25T00:00:00.000Z'): RegistryDeps & { advance(ms: number): void } {
  let now = Date.parse(start);
  let counter = 0;
  return {
    now: () => new Date((now += 1)),
    newId: (prefix) => `${prefix}_${(counter += 1).toString().padStart(8, '0')}${randomBytes(4).toString('hex')}`,
    randomToken: (bytes) => randomBytes(bytes).toString('base64url'),
    registryName: 'https://heoga.test',
    advance: (ms) => {
      now += ms;
    },
  };
}

/** A transparency-log identity with a fresh key, for a test registry. */
export function testLogIdentity(origin = 'heoga.test/log'): LogIdentity {
  const key = generateNoteKey(origin);
  return { origin, signer: createNoteSigner(key), verifierKey: formatVerifierKey(key) };
}

/** A fresh, empty registry on one engine; `close` removes it. */
export interface TestRegistry {
  readonly registry: Registry;
  readonly deps: ReturnType<typeof testDeps>;
  close(): Promise<void>;
}

/** Opens a fresh registry: a new SQLite file, or a new PostgreSQL schema. */
export async function openTestRegistry(engine: Engine): Promise<TestRegistry> {
  const deps = testDeps();
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'heoga-test-'));
    const database = await openDatabase({ engine: 'sqlite', file: join(dir, 'heoga.sqlite') });
    return {
      registry: createRegistry(database, deps, { log: testLogIdentity() }),
      deps,
      close: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = testServices().postgresUrl!;
  const schema = `heoga_test_${randomBytes(6).toString('hex')}`;
  const database = await openDatabase({ engine: 'postgres', url, schema, poolSize: 4 });
  return {
    registry: createRegistry(database, deps, { log: testLogIdentity() }),
    deps,
    close: async () => {
      await database.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/**
 * Runs a suite on every storage engine: SQLite always, PostgreSQL when HEOGA_TEST_DATABASE_URL is set (otherwise
 * the PostgreSQL copy is reported as skipped). `get()` gives the suite's registry, fresh per suite.
 */
export function describeEachEngine(name: string, suite: (get: () => TestRegistry, engine: Engine) => void): void {
  for (const engine of ['sqlite', 'postgres'] as const) {
    const skip = engine === 'postgres' && !testServices().postgresUrl;
    describe.skipIf(skip)(`${name} [${engine}]`, () => {
      let current: TestRegistry | undefined;
      beforeAll(async () => {
        current = await openTestRegistry(engine);
      });
      afterAll(async () => {
        await current?.close();
      });
      suite(() => {
        if (!current) throw new Error('registry not open');
        return current;
      }, engine);
    });
  }
}
