import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, runCli, type CliIo } from '@heoga/cli';
import {
  createRegistry,
  defaultDeps,
  openDatabase,
  type Actor,
  type Registry,
  type RegistryDatabase,
} from '@heoga/registry';
import { buildApp, loadOrCreateLogKey, loadServerConfig } from '@heoga/server';
import type { FastifyInstance } from 'fastify';
import { memoryIo } from './memory-io.js';

/** A `CliIo` on the real file system, with the memory IO's clock (2026-11-25T00:00:00Z) and captured output. */
function diskIo(overrides: Partial<CliIo> = {}): CliIo & { stdoutText(): string; stderrText(): string } {
  return {
    ...memoryIo({}),
    readFile: async (path) => new Uint8Array(await readFile(path)),
    writeFile: (path, data, options = {}) =>
      writeFile(path, data, { mode: options.mode ?? 0o666, flag: options.exclusive === true ? 'wx' : 'w' }),
    rename: (from, to) => rename(from, to),
    ...overrides,
  };
}

/** One log server: its own database, the shared log key and origin. */
interface LogServer {
  readonly registry: Registry;
  readonly url: string;
  /** Registers a work by a new creator (the same number of events every time), and publishes a checkpoint. */
  addWork(title: string): Promise<number>;
  close(): Promise<void>;
}

async function startLogServer(dir: string, name: string, logKeyFile: string): Promise<LogServer> {
  const database: RegistryDatabase = await openDatabase({ engine: 'sqlite', file: join(dir, `${name}.sqlite`) });
  const registry = createRegistry(database, defaultDeps(), { log: loadOrCreateLogKey(logKeyFile, 'heoga.test/log') });
  const app: FastifyInstance = await buildApp({
    registry,
    config: loadServerConfig({}, { demo: false }),
    logger: false,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  let counter = 0;
  return {
    registry,
    url,
    addWork: async (title) => {
      counter += 1;
      const creator = await registry.accounts.signUp({
        email: `${name}-${counter}@example.com`,
        password: 'a long passphrase',
        displayName: `${name} ${counter}`,
        role: 'creator',
      });
      const actor: Actor = { accountId: creator.id, role: 'creator', scopes: ['read', 'write'], via: 'session' };
      await registry.works.registerWork(actor, {
        kind: 'text',
        titles: [{ lang: 'ko', title }],
        rightsHolders: [{ rightsHolderId: creator.rightsHolderId!, role: 'author', share: 100 }],
      });
      await registry.log!.appendPending();
      return (await registry.log!.latestCheckpoint())!.size;
    },
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

describe('heoga witness: cosigns consistent checkpoints, refuses forks and rollbacks', () => {
  let dir: string;
  let logKeyFile: string;
  let vkey: string;
  let honest: LogServer;
  let forked: LogServer;
  let keyFile: string;
  let stateFile: string;
  let witnessVkey = '';
  let firstSize = 0;
  let secondSize = 0;

  const witness = (log: string, io: CliIo, extra: string[] = []) =>
    runCli(['witness', '--log', log, '--log-key', vkey, '--key', keyFile, '--once', ...extra], io);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heoga-witness-'));
    logKeyFile = join(dir, 'log.key');
    vkey = loadOrCreateLogKey(logKeyFile, 'heoga.test/log').verifierKey;
    honest = await startLogServer(dir, 'honest', logKeyFile);
    keyFile = join(dir, 'witness.key');
    stateFile = join(dir, 'witness.state');
  });

  afterAll(async () => {
    await honest.close();
    await forked?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates its key (0600), cosigns the first checkpoint, and the checkpoint then carries the cosignature', async () => {
    firstSize = await honest.addWork('첫 작품');
    const io = diskIo();
    const code = await witness(honest.url, io, ['--name', 'witness.test/w1']);
    expect(io.stderrText()).toContain('created a witness key');
    expect(code).toBe(EXIT.ok);
    witnessVkey = /for --witness-key:\n(\S+)\n/.exec(io.stderrText())![1]!;
    expect(witnessVkey.startsWith('witness.test/w1+')).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(io.stdoutText()).toMatch(
      new RegExp(`cosigned heoga.test/log size ${firstSize} .* \\(first checkpoint seen\\)`),
    );
    expect(readFileSync(stateFile, 'utf8')).toMatch(new RegExp(`^heoga.test/log\n${firstSize}\n`));
    expect(existsSync(`${stateFile}.tmp`)).toBe(false);

    const checkpoint = await (await fetch(`${honest.url}/v1/log/checkpoint`)).text();
    expect(checkpoint).toMatch(/\n\u2014 heoga.test\/log \S+\n\u2014 witness.test\/w1 \S+\n$/);
    // Polling again with nothing new cosigns nothing.
    const again = diskIo();
    expect(await witness(honest.url, again)).toBe(EXIT.ok);
    expect(again.stderrText()).toContain('nothing new');
  });

  it('heoga verify --witness-key shows when the witness cosigned, and exits 5 without its cosignature', async () => {
    const response = await fetch(`${honest.url}/v1/log/entries?start=0&limit=1`);
    const [first] = ((await response.json()) as { items: { eventId: string }[] }).items;
    const receipts = await fetch(`${honest.url}/v1/log/receipts?eventId=${first!.eventId}`);
    const receiptFile = join(dir, 'receipt.json');
    writeFileSync(receiptFile, JSON.stringify(((await receipts.json()) as { items: unknown[] }).items[0]));

    const io = diskIo();
    const code = await runCli(['verify', receiptFile, '--log-key', vkey, '--witness-key', witnessVkey], io);
    expect(io.stderrText()).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(io.stdoutText()).toContain('witnessed by witness.test/w1 at 2026-11-25T00:00:00.000Z');
    const json = diskIo();
    expect(await runCli(['verify', receiptFile, '--log-key', vkey, '--witness-key', witnessVkey, '--json'], json)).toBe(
      EXIT.ok,
    );
    expect(JSON.parse(json.stdoutText())).toMatchObject({
      witnessedAt: [{ witness: 'witness.test/w1', at: '2026-11-25T00:00:00.000Z' }],
    });

    const otherKey = join(dir, 'other.key');
    const other = diskIo();
    await runCli(['witness', '--log', 'http://127.0.0.1:9', '--log-key', vkey, '--key', otherKey, '--once'], other);
    const otherVkey = /for --witness-key:\n(\S+)\n/.exec(other.stderrText())![1]!;
    const missing = diskIo();
    expect(await runCli(['verify', receiptFile, '--log-key', vkey, '--witness-key', otherVkey], missing)).toBe(
      EXIT.notCleared,
    );
    expect(missing.stderrText()).toContain('NOT WITNESSED');
    const logKeyAsWitness = diskIo();
    expect(await runCli(['verify', receiptFile, '--log-key', vkey, '--witness-key', vkey], logKeyAsWitness)).toBe(
      EXIT.usage,
    );
  });

  it('cosigns a larger checkpoint after checking the consistency proof', async () => {
    copyFileSync(stateFile, join(dir, 'state-at-first'));
    secondSize = await honest.addWork('둘째 작품');
    expect(secondSize).toBeGreaterThan(firstSize);
    const io = diskIo();
    expect(await witness(honest.url, io)).toBe(EXIT.ok);
    expect(io.stdoutText()).toContain(`size ${secondSize}`);
    expect(io.stdoutText()).toContain(`consistent with size ${firstSize}`);
  });

  it('detects a forked log with the same key and origin: FORK, ROLLBACK and NOT CONSISTENT, exit 5', async () => {
    forked = await startLogServer(dir, 'forked', logKeyFile);
    // The same actions with other data: a tree of the same size with another root.
    expect(await forked.addWork('다른 역사')).toBe(firstSize);
    const atFirst = join(dir, 'state-at-first');
    const before = readFileSync(atFirst, 'utf8');
    const fork = diskIo();
    expect(await witness(forked.url, fork, ['--state', atFirst])).toBe(EXIT.notCleared);
    expect(fork.stderrText()).toContain('FORK');
    expect(readFileSync(atFirst, 'utf8')).toBe(before);

    // The witness's state is at the honest log's second size: the forked log shows fewer entries.
    const mainState = readFileSync(stateFile, 'utf8');
    const rollback = diskIo();
    expect(await witness(forked.url, rollback)).toBe(EXIT.notCleared);
    expect(rollback.stderrText()).toContain('ROLLBACK');

    // Grown past the witness's size, the forked tree cannot extend the one the witness cosigned.
    expect(await forked.addWork('또 다른 역사')).toBe(secondSize);
    const sameSize = diskIo();
    expect(await witness(forked.url, sameSize)).toBe(EXIT.notCleared);
    expect(sameSize.stderrText()).toContain('FORK');
    const larger = await forked.addWork('셋째');
    expect(larger).toBeGreaterThan(secondSize);
    const inconsistent = diskIo();
    expect(await witness(forked.url, inconsistent)).toBe(EXIT.notCleared);
    expect(inconsistent.stderrText()).toContain('NOT CONSISTENT');
    expect(readFileSync(stateFile, 'utf8')).toBe(mainState);
    // The forked log got no cosignature from the witness.
    expect(await (await fetch(`${forked.url}/v1/log/checkpoint`)).text()).not.toContain('witness.test/w1');
  });

  it('refuses a checkpoint that does not open with the log key (exit 5)', async () => {
    const otherLogKey = loadOrCreateLogKey(join(dir, 'other-log.key'), 'heoga.test/log').verifierKey;
    const io = diskIo();
    const code = await runCli(
      ['witness', '--log', honest.url, '--log-key', otherLogKey, '--key', keyFile, '--once'],
      io,
    );
    expect(code).toBe(EXIT.notCleared);
    expect(io.stderrText()).toContain('does not open with --log-key');
  });

  it('without --once, polls until asked to stop', async () => {
    await honest.addWork('넷째');
    let stop: (signal: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    const io = diskIo({
      untilShutdown: () => stopped,
      stdout: (text) => {
        if (text.startsWith('cosigned')) stop('SIGTERM');
      },
    });
    const code = await runCli(
      ['witness', '--log', honest.url, '--log-key', vkey, '--key', keyFile, '--interval', '3600'],
      io,
    );
    expect(code).toBe(EXIT.ok);
    expect(io.stderrText()).toContain('SIGTERM, witness stopping');
  });
});
