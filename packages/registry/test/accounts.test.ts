import { expect, it } from 'vitest';
import { SESSION_TTL_MS, sha256Hex, type Actor } from '../src/index.js';
import { API_KEY_CACHE_MS } from '../src/services/accounts.js';
import { describeEachEngine } from './engines.js';
import { expectRegistryError, newAccount, PASSWORD, uniqueEmail } from './helpers.js';

describeEachEngine('accounts: sign-up, sign-in, sessions', (get) => {
  it('refuses invalid sign-ups with VALIDATION_FAILED and an issue per field', async () => {
    const { registry } = get();
    const error = await expectRegistryError(
      registry.accounts.signUp({ email: 'not an email', password: 'short', displayName: 'X', role: 'creator' }),
      'VALIDATION_FAILED',
    );
    expect(error.issues.map((i) => i.path).sort()).toEqual(['email', 'password']);
    expect(error.issues.find((i) => i.path === 'password')?.message).toBe('at least 10 characters');

    const unknownRole = await expectRegistryError(
      registry.accounts.signUp({
        email: uniqueEmail('role'),
        password: PASSWORD,
        displayName: 'X',
        role: 'admin' as never,
      }),
      'VALIDATION_FAILED',
    );
    expect(unknownRole.issues.map((i) => i.path)).toEqual(['role']);

    const extraField = await expectRegistryError(
      registry.accounts.signUp({
        email: uniqueEmail('extra'),
        password: PASSWORD,
        displayName: 'X',
        role: 'creator',
        isOperator: true,
      } as never),
      'VALIDATION_FAILED',
    );
    expect(extraField.issues).toHaveLength(1);
    const blankName = await expectRegistryError(
      registry.accounts.signUp({ email: uniqueEmail('blank'), password: PASSWORD, displayName: '  ', role: 'creator' }),
      'VALIDATION_FAILED',
    );
    expect(blankName.issues.map((i) => i.path)).toEqual(['displayName']);
  });

  it('normalises the email and refuses a second account with it, whatever its case (EMAIL_TAKEN)', async () => {
    const { registry } = get();
    const email = uniqueEmail('taken');
    const account = await registry.accounts.signUp({
      email: `  ${email.toUpperCase()} `,
      password: PASSWORD,
      displayName: 'First',
      role: 'developer',
    });
    expect(account.email).toBe(email);
    expect(account.rightsHolderId).toBeUndefined();
    await expectRegistryError(
      registry.accounts.signUp({
        email: email.replace(/^./, (c) => c.toUpperCase()),
        password: PASSWORD,
        displayName: 'Second',
        role: 'creator',
      }),
      'EMAIL_TAKEN',
    );
    const rows = await registry.database.db.selectFrom('accounts').select('id').where('email', '=', email).execute();
    expect(rows).toHaveLength(1);
  });

  it('gives a creator a person rights holder in the same transaction', async () => {
    const { registry } = get();
    const { account } = await newAccount(registry, 'creator', '김작가');
    const holder = await registry.database.db
      .selectFrom('rights_holders')
      .selectAll()
      .where('id', '=', account.rightsHolderId!)
      .executeTakeFirstOrThrow();
    expect(holder).toMatchObject({ kind: 'person', name: '김작가', account_id: account.id });
    expect((await registry.accounts.findAccount(account.id))?.rightsHolderId).toBe(account.rightsHolderId);
    expect(await registry.accounts.findAccount('acct_missing')).toBeUndefined();
  });

  it('lets only an operator, or a trusted local caller, create auditor and operator accounts', async () => {
    const { registry } = get();
    const creator = await newAccount(registry, 'creator');
    for (const role of ['auditor', 'operator'] as const) {
      await expectRegistryError(
        registry.accounts.signUp({ email: uniqueEmail(role), password: PASSWORD, displayName: role, role }),
        'FORBIDDEN',
      );
      await expectRegistryError(
        registry.accounts.signUp(
          { email: uniqueEmail(role), password: PASSWORD, displayName: role, role },
          { by: creator.actor },
        ),
        'FORBIDDEN',
      );
    }
    const operator = await registry.accounts.signUp(
      { email: uniqueEmail('operator'), password: PASSWORD, displayName: 'Op', role: 'operator' },
      { trusted: true },
    );
    const operatorActor: Actor = { accountId: operator.id, role: 'operator', scopes: ['read', 'write'], via: 'local' };
    const auditor = await registry.accounts.signUp(
      { email: uniqueEmail('auditor'), password: PASSWORD, displayName: 'Aud', role: 'auditor' },
      { by: operatorActor },
    );
    expect(auditor.role).toBe('auditor');
    const created = await registry.database.db
      .selectFrom('events')
      .select(['actor_id', 'type'])
      .where('subject_id', '=', auditor.id)
      .execute();
    expect(created).toEqual([{ actor_id: operator.id, type: 'account.created' }]);
  });

  it('signs in, finds the session, and signs out; a wrong password and an unknown email look the same', async () => {
    const { registry } = get();
    const email = uniqueEmail('signin');
    const account = await registry.accounts.signUp({ email, password: PASSWORD, displayName: 'S', role: 'creator' });

    const wrongPassword = await expectRegistryError(registry.accounts.signIn(email, `${PASSWORD}!`), 'UNAUTHENTICATED');
    const unknownEmail = await expectRegistryError(
      registry.accounts.signIn(uniqueEmail('nobody'), PASSWORD),
      'UNAUTHENTICATED',
    );
    expect(unknownEmail.message).toBe(wrongPassword.message);

    const session = await registry.accounts.signIn(`  ${email.toUpperCase()}`, PASSWORD);
    expect(session.account).toEqual(account);
    expect(Date.parse(session.expiresAt) - registry.deps.now().getTime()).toBeGreaterThan(SESSION_TTL_MS - 1000);
    const found = await registry.accounts.findSession(session.token);
    expect(found).toEqual({
      actor: { accountId: account.id, role: 'creator', scopes: ['read', 'write', 'check', 'import'], via: 'session' },
      csrfToken: session.csrfToken,
    });
    // Only the token's hash is stored.
    const stored = await registry.database.db.selectFrom('sessions').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(session.token);
    expect(stored.map((s) => s.token_hash)).toContain(sha256Hex(session.token));

    expect(await registry.accounts.findSession(`${session.token}x`)).toBeUndefined();
    await registry.accounts.signOut(session.token);
    expect(await registry.accounts.findSession(session.token)).toBeUndefined();
  });

  it('forgets a session once SESSION_TTL_MS has passed', async () => {
    const { registry, deps } = get();
    const email = uniqueEmail('ttl');
    await registry.accounts.signUp({ email, password: PASSWORD, displayName: 'T', role: 'developer' });
    const session = await registry.accounts.signIn(email, PASSWORD);
    deps.advance(SESSION_TTL_MS - 60_000);
    expect(await registry.accounts.findSession(session.token)).toBeDefined();
    deps.advance(60_000);
    expect(await registry.accounts.findSession(session.token)).toBeUndefined();
  });
});

describeEachEngine('accounts: API keys', (get) => {
  it('returns a key once, stores only its hash, and finds the actor with its scopes', async () => {
    const { registry } = get();
    const { account, actor } = await newAccount(registry, 'developer');
    const { key, info } = await registry.accounts.createApiKey(actor, {
      name: ' ci ',
      scopes: ['read', 'check', 'read'],
    });
    expect(key).toMatch(/^hg_[A-Za-z0-9_-]{43}$/);
    expect(info).toMatchObject({ name: 'ci', prefix: key.slice(0, 10), scopes: ['read', 'check'], revokedAt: null });

    for (const table of ['api_keys', 'events', 'sessions'] as const) {
      const rows = await registry.database.db.selectFrom(table).selectAll().execute();
      expect(JSON.stringify(rows), table).not.toContain(key);
    }
    const row = await registry.database.db
      .selectFrom('api_keys')
      .select('key_hash')
      .where('id', '=', info.id)
      .executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(sha256Hex(key));

    expect(await registry.accounts.findApiKey(key)).toMatchObject({
      accountId: account.id,
      role: 'developer',
      scopes: ['read', 'check'],
      via: 'api-key',
    });
    expect(await registry.accounts.findApiKey(`${key}x`)).toBeUndefined();
    expect(await registry.accounts.findApiKey(key.slice(3))).toBeUndefined();
    expect(await registry.accounts.findApiKey(`hg_${'a'.repeat(300)}`)).toBeUndefined();
  });

  it('refuses invalid key requests', async () => {
    const { registry } = get();
    const { actor } = await newAccount(registry, 'developer');
    const noScopes = await expectRegistryError(
      registry.accounts.createApiKey(actor, { name: 'x', scopes: [] }),
      'VALIDATION_FAILED',
    );
    expect(noScopes.issues.map((i) => i.path)).toEqual(['scopes']);
    await expectRegistryError(
      registry.accounts.createApiKey(actor, { name: 'x', scopes: ['admin' as never] }),
      'VALIDATION_FAILED',
    );
    await expectRegistryError(
      registry.accounts.createApiKey(actor, { name: '', scopes: ['read'] }),
      'VALIDATION_FAILED',
    );
  });

  it('does not find a revoked key; only the owner revokes it', async () => {
    const { registry } = get();
    const owner = await newAccount(registry, 'developer');
    const other = await newAccount(registry, 'developer');
    const { key, info } = await registry.accounts.createApiKey(owner.actor, { name: 'k', scopes: ['check'] });
    await expectRegistryError(registry.accounts.revokeApiKey(other.actor, info.id), 'NOT_FOUND');
    expect(await registry.accounts.findApiKey(key)).toBeDefined();
    await registry.accounts.revokeApiKey(owner.actor, info.id);
    expect(await registry.accounts.findApiKey(key)).toBeUndefined();
    await expectRegistryError(registry.accounts.revokeApiKey(owner.actor, info.id), 'NOT_FOUND');
    const [listed] = await registry.accounts.listApiKeys(owner.actor);
    expect(listed?.id).toBe(info.id);
    expect(listed?.revokedAt).not.toBeNull();
  });

  it('answers a resolved key from its cache without waiting, and forgets it at once when revoked here', async () => {
    const { registry } = get();
    const owner = await newAccount(registry, 'developer');
    const { key, info } = await registry.accounts.createApiKey(owner.actor, { name: 'k', scopes: ['check'] });
    expect(registry.accounts.cachedApiKey(key)).toBeUndefined();
    const actor = await registry.accounts.findApiKey(key);
    expect(actor).toMatchObject({ accountId: owner.account.id, via: 'api-key', credentialId: info.id });
    expect(registry.accounts.cachedApiKey(key)?.actor).toEqual(actor);
    // Another key with the same hash prefix or a different case is not the cached key.
    expect(registry.accounts.cachedApiKey(key.toUpperCase())).toBeUndefined();
    expect(registry.accounts.cachedApiKey(`${key}x`)).toBeUndefined();
    await registry.accounts.revokeApiKey(owner.actor, info.id);
    expect(registry.accounts.cachedApiKey(key)).toBeUndefined();
    expect(await registry.accounts.findApiKey(key)).toBeUndefined();
    // Known to be revoked: cached as such.
    const known = registry.accounts.cachedApiKey(key);
    expect(known).toBeDefined();
    expect(known?.actor).toBeUndefined();
  });

  it('sees a revocation made by another process within API_KEY_CACHE_MS', async () => {
    const { registry, deps } = get();
    const owner = await newAccount(registry, 'developer');
    const { key, info } = await registry.accounts.createApiKey(owner.actor, { name: 'k', scopes: ['check'] });
    expect(await registry.accounts.findApiKey(key)).toBeDefined();
    // Another server process on the same database revokes the key: this process's cache does not know.
    await registry.database.db
      .updateTable('api_keys')
      .set({ revoked_at: deps.now().toISOString() })
      .where('id', '=', info.id)
      .execute();
    deps.advance(API_KEY_CACHE_MS / 2);
    expect(await registry.accounts.findApiKey(key)).toBeDefined();
    expect(registry.accounts.cachedApiKey(key)?.actor).toBeDefined();
    deps.advance(API_KEY_CACHE_MS / 2);
    expect(registry.accounts.cachedApiKey(key)).toBeUndefined();
    expect(await registry.accounts.findApiKey(key)).toBeUndefined();
  });

  it('refuses keys without the prefix or too long without looking them up', async () => {
    const { registry } = get();
    const owner = await newAccount(registry, 'developer');
    const { key } = await registry.accounts.createApiKey(owner.actor, { name: 'k', scopes: ['check'] });
    expect(await registry.accounts.findApiKey(key.slice(3))).toBeUndefined();
    expect(await registry.accounts.findApiKey(`${key}${'a'.repeat(200)}`)).toBeUndefined();
    expect(registry.accounts.cachedApiKey(key.slice(3))).toBeUndefined();
  });

  it('does not let an API-key actor create API keys', async () => {
    const { registry } = get();
    const { actor } = await newAccount(registry, 'developer');
    const { key } = await registry.accounts.createApiKey(actor, { name: 'all', scopes: ['read', 'write', 'check'] });
    const keyActor = await registry.accounts.findApiKey(key);
    expect(keyActor?.via).toBe('api-key');
    await expectRegistryError(
      registry.accounts.createApiKey(keyActor!, { name: 'more', scopes: ['read'] }),
      'FORBIDDEN',
    );
    expect(await registry.accounts.listApiKeys(actor)).toHaveLength(1);
  });

  it('lists only the actor’s own keys, oldest first, never the key itself', async () => {
    const { registry } = get();
    const alice = await newAccount(registry, 'developer');
    const bob = await newAccount(registry, 'creator');
    const a1 = await registry.accounts.createApiKey(alice.actor, { name: 'a1', scopes: ['read'] });
    const b1 = await registry.accounts.createApiKey(bob.actor, { name: 'b1', scopes: ['write'] });
    const a2 = await registry.accounts.createApiKey(alice.actor, { name: 'a2', scopes: ['check'] });
    const aliceKeys = await registry.accounts.listApiKeys(alice.actor);
    expect(aliceKeys.map((k) => k.id)).toEqual([a1.info.id, a2.info.id]);
    expect(JSON.stringify(aliceKeys)).not.toContain(a1.key);
    expect((await registry.accounts.listApiKeys(bob.actor)).map((k) => k.name)).toEqual(['b1']);
    expect(await registry.accounts.findApiKey(b1.key)).toMatchObject({ accountId: bob.account.id, role: 'creator' });
  });
});
