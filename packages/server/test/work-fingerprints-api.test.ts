// A creator registers a long text with the fingerprints `heoga fingerprint` computed: the winnowing fingerprints of
// a novel are far bigger than other JSON bodies, and every value of heoga's algorithms must parse.
import { fingerprint } from '@heoga/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { koreanText } from '../../core/test/text-corpus.js';
import { describeEachEngine } from '../../registry/test/engines.js';
import { call, expectProblem, makeAccount, openTestApp, workBody, type TestAccount } from './harness.js';

describeEachEngine('server: works with fingerprints', (get) => {
  let app: FastifyInstance;
  let creator: TestAccount;

  beforeAll(async () => {
    app = await openTestApp(get().registry);
    creator = await makeAccount(get().registry, 'novelist@example.org', 'creator');
  });
  afterAll(() => app.close());

  it('registers a 300,000-character novel with all its text fingerprints, and gives them back', async () => {
    const novel = new TextEncoder().encode(koreanText(7, 300_000));
    const { fingerprints } = fingerprint(novel, 'text');
    const winnow = fingerprints.find((f) => f.algorithm === 'winnow-c13-w16/1')!;
    expect(winnow.value.length).toBeGreaterThan(65_536); // more than an opaque value may hold
    const response = await call(app, {
      method: 'POST',
      url: '/v1/works',
      as: { key: creator.key },
      body: { ...workBody(creator.account.rightsHolderId!), fingerprints },
    });
    expect(response.statusCode).toBe(201);
    const work = response.json<{ fingerprints: { algorithm: string; value: string }[] }>();
    expect(work.fingerprints.map(({ algorithm, value }) => ({ algorithm, value }))).toEqual(
      expect.arrayContaining(fingerprints.map(({ algorithm, value }) => ({ algorithm, value }))),
    );
  });

  it('refuses a malformed value of a known algorithm, naming it', async () => {
    const response = await call(app, {
      method: 'POST',
      url: '/v1/works',
      as: { key: creator.key },
      body: { ...workBody(creator.account.rightsHolderId!), fingerprints: [{ algorithm: 'pdq/1', value: 'beef:100' }] },
    });
    const problem = expectProblem(response, 'VALIDATION_FAILED');
    expect(JSON.stringify(problem)).toContain('not a valid pdq/1 value');
  });
});
