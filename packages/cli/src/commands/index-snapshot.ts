import { createRegistry, defaultDeps, openDatabase, databaseLocation, type Actor } from '@heoga/registry';
import { openSnapshot, writeSnapshot, type LoadedSnapshot } from '@heoga/scanner';
import { loadOrCreateLogKey, loadServerConfig } from '@heoga/server';
import { SingleBar } from 'cli-progress';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** Flags of `heoga index export`. */
export interface IndexExportOptions {
  readonly out: string;
  /** The data directory (default HEOGA_DATA or ./data; HEOGA_DATABASE_URL selects PostgreSQL). */
  readonly data?: string;
  readonly json: boolean;
}

/**
 * `heoga index export --out FILE`: writes a signed snapshot of the registry's match data, signed with the
 * transparency log's key (the same key a server in this data directory signs checkpoints with).
 */
export async function runIndexExport(io: CliIo, options: IndexExportOptions): Promise<ExitCode> {
  const config = loadServerConfig(io.vars, options.data === undefined ? {} : { dataDir: options.data });
  const key = loadOrCreateLogKey(config.logKeyFile, config.logOrigin);
  const database = await openDatabase(databaseLocation({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }));
  try {
    const registry = createRegistry(database, defaultDeps(config.publicUrl));
    const actor: Actor = { accountId: 'local', role: 'operator', scopes: ['check'], via: 'local' };
    const total = await registry.matchData.count(actor);
    const bar =
      io.stderrIsTty && io.progressStream && !options.json
        ? new SingleBar({
            format: 'exporting [{bar}] {value}/{total} works',
            hideCursor: true,
            stream: io.progressStream,
          })
        : undefined;
    bar?.start(total, 0);
    const written = await writeSnapshot(registry.matchData.works(actor), options.out, {
      signer: key.signer,
      verifierKey: key.verifierKey,
      registry: { name: registry.deps.registryName, url: config.publicUrl },
      now: io.now,
      onProgress: (n) => bar?.update(n),
    });
    bar?.stop();
    if (options.json) {
      io.stdout(
        `${JSON.stringify({ id: written.id, path: written.path, bytes: written.bytes, manifest: written.manifest })}\n`,
      );
    } else {
      const c = written.manifest.counts;
      io.stdout(
        `wrote ${written.path} (${formatBytes(written.bytes)}): ${c.works} works, snapshot ${written.id}\n` +
          `signed by ${written.manifest.key}\n`,
      );
    }
    return EXIT.ok;
  } finally {
    await database.close();
  }
}

/** `heoga index info FILE`: verifies a snapshot and describes it. */
export function runIndexInfo(io: CliIo, file: string, options: { json: boolean; trustedKey?: string }): ExitCode {
  const started = Date.now();
  const snapshot = openSnapshot(file, options.trustedKey === undefined ? {} : { trustedKey: options.trustedKey });
  const loadMs = Date.now() - started;
  if (options.json) {
    io.stdout(
      `${JSON.stringify({ id: snapshot.id, verified: true, bytes: snapshot.fileBytes, manifest: snapshot.manifest })}\n`,
    );
    return EXIT.ok;
  }
  io.stdout(describeSnapshot(snapshot, loadMs));
  return EXIT.ok;
}

function describeSnapshot(snapshot: LoadedSnapshot, loadMs: number): string {
  const m = snapshot.manifest;
  const c = m.counts;
  const rows: [string, string][] = [
    ['snapshot', snapshot.id],
    ['format', m.format],
    ['created', m.createdAt],
    ['registry', m.registry.url ?? m.registry.name],
    ['signed by', `${m.key} (signature and checksums verified in ${loadMs} ms)`],
    ['size', formatBytes(snapshot.fileBytes)],
    ['works', `${c.works} (${c.disputedWorks} disputed)`],
    ['exact keys', String(c.exactKeys)],
    [
      'MinHash',
      `${c.minhashSignatures} signatures, ${c.lshKeys} LSH keys (${m.params.lshBands} bands × ${m.params.lshRows} rows)`,
    ],
    [
      'winnowing',
      `${c.winnowSets} sets, ${c.winnowFingerprints} fingerprints, ${c.containmentKeys} sampled (1 in ${m.params.containmentSample})`,
    ],
    ['images', `${c.pdqHashes} PDQ hashes (match within ${m.params.pdqMaxDistance} bits, all 8 dihedral variants)`],
    ['audio', `${c.audioFingerprints} Chromaprint fingerprints`],
    ['video', `${c.videoFingerprints} frame fingerprints`],
    ['skipped', `${c.skippedFingerprints} fingerprints of unknown algorithms or unreadable values`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}

/** Bytes for people: 1.2 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
