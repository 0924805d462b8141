// The registry stores what `heoga fingerprint` and the browser compute: every algorithm heoga knows is checked with
// core's own parser, so the scanner never meets a stored fingerprint it cannot read.
import { fingerprint, type StoredFingerprint } from '@heoga/core';
import { describe, expect, it } from 'vitest';
import { backfillFingerprintDigests, fingerprintValueDigest } from '../src/db/migrations.js';
import { describeEachEngine } from './engines.js';
import { newAccount, workOf } from './helpers.js';
import { workInput, WORK_LIMITS } from '../src/services/work-input.js';

const work = (fingerprints: readonly StoredFingerprint[]) => ({
  kind: 'text',
  titles: [{ lang: 'ko', title: '허가' }],
  rightsHolders: [{ rightsHolderId: 'rh_1', role: 'author', share: 100 }],
  fingerprints,
});

const pixels = {
  width: 16,
  height: 16,
  channels: 3 as const,
  data: Uint8Array.from({ length: 16 * 16 * 3 }, (_, i) => (i * 37) % 256),
};

describe('work fingerprints in the registry', () => {
  it('accepts every fingerprint core computes, under its versioned algorithm name', () => {
    const text = fingerprint(new TextEncoder().encode('허가 없이는 학습할 수 없습니다. '.repeat(200)), 'text');
    const image = fingerprint(pixels, 'image');
    const parsed = workInput.safeParse(work([...text.fingerprints, ...image.fingerprints]));
    expect(parsed.success).toBe(true);
    expect(text.fingerprints.map((f) => f.algorithm)).toEqual([
      'sha256',
      'sha256-text-nfkc/1',
      'minhash-oph-c5-128/1',
      'winnow-c13-w16/1',
    ]);
  });

  it.each([
    ['sha256', 'not-hex'],
    ['pdq/1', 'd8f8:100'],
    ['pdq/1', `${'0'.repeat(64)}:101`],
    ['minhash-oph-c5-128/1', 'AAAA'],
    ['winnow-c13-w16/1', '!!'],
    ['vpdq-1fps/1', 'AQAAAAE'],
    ['chromaprint-2/1', 'AQAAC0kkZUqYREkUnFAXHk8uuMZl6EfO4zu-4ABKFGESWIIMEQE-extra'],
  ])('refuses a malformed %s value', (algorithm, value) => {
    const parsed = workInput.safeParse(work([{ algorithm, value }]));
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain(`not a valid ${algorithm} value`);
  });

  it('stores algorithms it does not know opaquely, within the small limit', () => {
    expect(workInput.safeParse(work([{ algorithm: 'tmk', value: 'x'.repeat(1000) }])).success).toBe(true);
    const big = 'x'.repeat(WORK_LIMITS.fingerprintChars + 1);
    expect(workInput.safeParse(work([{ algorithm: 'tmk', value: big }])).success).toBe(false);
  });

  it('refuses algorithm names that are not lower-case names with an optional numeric version', () => {
    for (const algorithm of ['PDQ', 'pdq/', 'pdq/v1', '/1', 'a/1/2', 'pdq 1']) {
      expect(workInput.safeParse(work([{ algorithm, value: 'x' }])).success, algorithm).toBe(false);
    }
  });
});

describeEachEngine('fingerprint values are found by their digest', (get) => {
  it('backfills digests that are missing (migration 0004) and finds equal values across works by them', async () => {
    const { registry } = get();
    const creator = await newAccount(registry, 'creator');
    const other = await newAccount(registry, 'creator');
    const { fingerprints } = fingerprint(
      new TextEncoder().encode('같은 원고를 두 사람이 등록했습니다. '.repeat(300)),
      'text',
    );
    const first = await registry.works.registerWork(
      creator.actor,
      workOf(creator.holderId, { fingerprints: [...fingerprints] }),
    );
    const db = registry.database.db;
    // As a database written before migration 0004 would be: values without digests.
    await db.updateTable('fingerprints').set({ value_digest: null }).where('work_id', '=', first.id).execute();
    expect(await backfillFingerprintDigests(db as never)).toBe(fingerprints.length);
    const rows = await db
      .selectFrom('fingerprints')
      .select(['value', 'value_digest'])
      .where('work_id', '=', first.id)
      .execute();
    for (const row of rows) expect(row.value_digest).toBe(fingerprintValueDigest(row.value));
    expect(await backfillFingerprintDigests(db as never)).toBe(0);

    // The same manuscript registered by someone else is a dispute on every fingerprint, large values included.
    const second = await registry.works.registerWork(
      other.actor,
      workOf(other.holderId, { fingerprints: [...fingerprints] }),
    );
    const disputes = (await registry.works.listDisputes(other.actor)).filter((d) => d.workId === second.id);
    const claims = disputes.map((d) => d.claim.split(':')[0]);
    expect(claims).toEqual(expect.arrayContaining(['sha256', 'winnow-c13-w16/1']));
  });
});
