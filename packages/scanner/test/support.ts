import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createNoteSigner,
  fingerprint,
  formatVerifierKey,
  noteKeyFromSeed,
  type Stance,
  type Statement,
  type Use,
} from '@heoga/core';
import type { SnapshotWork } from '../src/snapshot/write-snapshot.js';

/** A deterministic signing key for tests (never a real one). */
export function testKey(name = 'registry.test/log', seedByte = 7) {
  const key = noteKeyFromSeed(name, new Uint8Array(32).fill(seedByte));
  return { signer: createNoteSigner(key), verifierKey: formatVerifierKey(key) };
}

/** A temporary directory, removed by the returned function. */
export function tempDir(prefix = 'heoga-scan-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Registry statements for a work, one per use given. */
export function statementsFor(workId: string, policy: Partial<Record<Use, Stance>>, registry = 'test'): Statement[] {
  return Object.entries(policy).map(([use, stance]) => ({
    kind: 'preference',
    id: `${workId}/${use}`,
    source: { kind: 'registry', registry, workId },
    uses: [use as Use],
    stance: stance,
    observedAt: '2026-11-01T00:00:00Z',
  }));
}

/** A registered text work with its real fingerprints (core's `fingerprint`). */
export function textWork(
  id: string,
  text: string,
  policy: Partial<Record<Use, Stance>> = { 'ai-train': { kind: 'deny' } },
  extra: Partial<SnapshotWork> = {},
): SnapshotWork {
  const record = fingerprint(new TextEncoder().encode(text), 'text');
  return {
    id,
    kind: 'text',
    disputed: false,
    titles: [{ lang: 'en', title: `Title of ${id}` }],
    identifiers: [],
    holders: [{ id: `holder-${id}`, name: `Holder of ${id}`, role: 'author', shareBp: 10_000 }],
    fingerprints: record.fingerprints.map((f) => ({ algorithm: f.algorithm, value: f.value, fileSha256: null })),
    statements: statementsFor(id, policy),
    disputedWith: [],
    ...extra,
  };
}

/** A long pseudo-random text of made-up words, deterministic in `seed`: texts of different seeds share nothing. */
export function proseText(seed: number, words = 400): string {
  let state = (seed * 2654435761 + 1) >>> 0;
  const next = () => {
    state = (Math.imul(state ^ (state >>> 15), 2246822519) + 0x9e3779b9) >>> 0;
    return state;
  };
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    let word = '';
    const length = 2 + (next() % 7);
    for (let c = 0; c < length; c++) word += String.fromCharCode(97 + (next() % 26));
    out.push(word + (next() % 11 === 0 ? '.' : ''));
  }
  return out.join(' ');
}
