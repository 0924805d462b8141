import { cosignCheckpoint, formatNoteSignatureLine, formatVerifierKey, generateNoteKey, parseNote } from '@heoga/core';
import type { Organisation, Registry } from '@heoga/registry';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../registry/test/engines.js';
import {
  call,
  expectProblem,
  makeAccount,
  openTestApp,
  PASSWORD,
  workBody,
  type Call,
  type Credential,
  type Session,
  type TestAccount,
} from './harness.js';

/**
 * Who may do what, route by route (docs/api.md "Who may do what"). Every route of the app has at least one row, and
 * every row names the status for every actor:
 *
 * - A, B: creators, each with a work; A gave C's organisation a mandate;
 * - C: organisation admin of an organisation holding A's mandate; D: organisation admin with no mandates;
 * - E: developer; F: auditor; G: operator;
 * - Ar: A's API key with only the `read` scope; As: A's web session (cookie and CSRF token);
 * - anon: no credentials.
 *
 * All but As and anon use an API key with every scope.
 */
const ACTORS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'Ar', 'As', 'anon'] as const;
type ActorName = (typeof ACTORS)[number];
type Statuses = Readonly<Record<ActorName, number>>;

/** What the matrix runs against, made once per engine. */
interface Fixture {
  readonly registry: Registry;
  readonly app: FastifyInstance;
  readonly accounts: Readonly<Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'M', TestAccount>>;
  readonly readOnlyKeyOfA: { readonly key: string; readonly id: string };
  readonly sessionOfA: Session;
  readonly orgC: Organisation;
  readonly orgD: Organisation;
  /** An organisation of the operator, to receive mandates without giving C or D anything. */
  readonly orgX: Organisation;
  /** Two rights holders only the operator acts for: their works may dispute each other. */
  readonly claimants: readonly [string, string];
  readonly workA: string;
  readonly workB: string;
  /** The dispute between A's and B's works that claim the same URL. */
  readonly disputeAB: string;
  /** A tree size of the transparency log with a published checkpoint. */
  readonly logSize: number;
}

/** One request of a row, prepared for one actor. */
interface Prepared {
  /** The request; `as` overrides the actor's own credential (a fresh session, say). */
  readonly call: Call;
  /** A view of what the request may change: equal before and after when the request is refused. */
  readonly state?: () => Promise<unknown>;
  /** More checks on the answer (what it shows, what it changed). */
  readonly after?: (response: LightMyRequestResponse) => Promise<void> | void;
}

interface Row {
  /** The route as in the OpenAPI document: `METHOD /path/{param}`. */
  readonly route: string;
  /** Which resource the row aims at, for the test name. */
  readonly on: string;
  readonly expect: Statuses;
  readonly prepare: (f: Fixture, actor: ActorName) => Prepared | Promise<Prepared>;
}

const PROBLEM_OF_STATUS = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  422: 'VALIDATION_FAILED',
} as const;

const itemsOf = <T = { id: string }>(response: LightMyRequestResponse) => response.json<{ items: T[] }>().items;
const idsOf = (response: LightMyRequestResponse) => itemsOf(response).map((i) => i.id);

/** The account behind an actor name (Ar and As are A). */
function accountOf(f: Fixture, actor: Exclude<ActorName, 'anon'>): TestAccount {
  return f.accounts[actor === 'Ar' || actor === 'As' ? 'A' : actor];
}

function credentialOf(f: Fixture, actor: ActorName): Credential {
  if (actor === 'anon') return undefined;
  if (actor === 'Ar') return { key: f.readOnlyKeyOfA.key };
  if (actor === 'As') return { session: f.sessionOfA };
  return { key: f.accounts[actor].key };
}

/** The stored work as the operator sees it, for "nothing changed" checks. */
async function storedWork(f: Fixture, id: string): Promise<unknown> {
  return f.registry.works.getWorkOrThrow(f.accounts.G.actor, id);
}

let counter = 0;
const unique = () => (counter += 1);

/** A fresh open dispute, between two works of different rights holders (of no actor's) that claim the same URL. */
async function freshDispute(f: Fixture): Promise<string> {
  const identifiers = [{ scheme: 'url' as const, value: `https://dispute.example/${unique()}` }];
  const [one, other] = f.claimants;
  await f.registry.works.registerWork(f.accounts.G.actor, workBody(one, { identifiers }));
  const second = await f.registry.works.registerWork(f.accounts.G.actor, workBody(other, { identifiers }));
  const disputes = await f.registry.works.listDisputes(f.accounts.G.actor, { status: 'open' });
  const found = disputes.find((d) => d.workId === second.id || d.otherWorkId === second.id);
  if (!found) throw new Error('no dispute was opened');
  return found.id;
}

/** A cosignature by a fresh witness key on the checkpoint of the fixture's log size; `valid: false` signs another text. */
async function witnessCosignature(f: Fixture, valid: boolean): Promise<Record<string, string>> {
  const published = await f.registry.log!.checkpoint(BigInt(f.logSize));
  const note = parseNote(published!.note);
  if (!note.ok) throw new Error('the checkpoint does not parse');
  const witness = generateNoteKey(`witness.test/w${unique()}`, { type: 'cosignature/v1' });
  const text = valid ? note.value.text : note.value.text.replace(/\n/, '-forged\n');
  const signature = cosignCheckpoint(text, witness, () => new Date('2026-11-25T12:00:00Z'));
  return {
    witnessKey: formatVerifierKey(witness),
    checkpointSize: String(f.logSize),
    signature: formatNoteSignatureLine(signature),
  };
}

const cosignatureCount = (f: Fixture) =>
  f.registry.database.db.selectFrom('log_cosignatures').select('key_name').orderBy('key_name').execute();

const CSV_HEADER = 'external_id,kind,title:ko,rights_holders,ai-train';

const MATRIX: readonly Row[] = [
  // Accounts and sessions: public, whoever asks.
  {
    route: 'POST /v1/accounts',
    on: 'a new developer account',
    expect: { A: 201, B: 201, C: 201, D: 201, E: 201, F: 201, G: 201, Ar: 201, As: 201, anon: 201 },
    prepare: (_f, actor) => ({
      call: {
        method: 'POST',
        url: '/v1/accounts',
        body: { email: `new-${unique()}@example.com`, password: PASSWORD, displayName: actor, role: 'developer' },
      },
      after: (response) => expect(response.json()).toMatchObject({ role: 'developer' }),
    }),
  },
  {
    route: 'POST /v1/sessions',
    on: "M's password",
    expect: { A: 201, B: 201, C: 201, D: 201, E: 201, F: 201, G: 201, Ar: 201, As: 201, anon: 201 },
    prepare: (f) => ({
      call: {
        method: 'POST',
        url: '/v1/sessions',
        body: { email: f.accounts.M.email, password: PASSWORD },
        // Sign-in is limited to 10 a minute per address: one address per case.
        remoteAddress: `192.0.2.${unique() % 250}`,
      },
      after: (response) => expect(response.json()).toMatchObject({ account: { id: f.accounts.M.account.id } }),
    }),
  },
  {
    route: 'DELETE /v1/sessions/current',
    on: 'the caller (a fresh session for As)',
    expect: { A: 204, B: 204, C: 204, D: 204, E: 204, F: 204, G: 204, Ar: 204, As: 204, anon: 401 },
    prepare: async (f, actor) => {
      if (actor !== 'As') return { call: { method: 'DELETE', url: '/v1/sessions/current' } };
      const signedIn = await f.registry.accounts.signIn(f.accounts.A.email, PASSWORD);
      const session = { token: signedIn.token, csrfToken: signedIn.csrfToken };
      return {
        call: { method: 'DELETE', url: '/v1/sessions/current', as: { session } },
        after: async () => {
          expect(await f.registry.accounts.findSession(session.token)).toBeUndefined();
          expect(await f.registry.accounts.findSession(f.sessionOfA.token)).toBeDefined();
        },
      };
    },
  },
  {
    route: 'GET /v1/me',
    on: 'the caller',
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 200, As: 200, anon: 401 },
    prepare: (f, actor) => ({
      call: { method: 'GET', url: '/v1/me' },
      after: (response) => {
        if (actor !== 'anon') expect(response.json()).toMatchObject({ id: accountOf(f, actor).account.id });
      },
    }),
  },

  // API keys: a person signed in makes them; each account sees and revokes only its own.
  {
    route: 'POST /v1/api-keys',
    on: "the caller's account",
    expect: { A: 403, B: 403, C: 403, D: 403, E: 403, F: 403, G: 403, Ar: 403, As: 201, anon: 401 },
    prepare: (f) => ({
      call: { method: 'POST', url: '/v1/api-keys', body: { name: 'matrix', scopes: ['read'] } },
      after: async (response) => {
        if (response.statusCode !== 201) return;
        const me = await call(f.app, {
          method: 'GET',
          url: '/v1/me',
          as: { key: response.json<{ key: string }>().key },
        });
        expect(me.json()).toMatchObject({ id: f.accounts.A.account.id });
      },
    }),
  },
  {
    route: 'GET /v1/api-keys',
    on: "the caller's keys",
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 200, As: 200, anon: 401 },
    prepare: (f, actor) => ({
      call: { method: 'GET', url: '/v1/api-keys' },
      after: (response) => {
        if (actor === 'anon') return;
        const own = accountOf(f, actor);
        const ids = idsOf(response);
        expect(ids).toContain(own.keyId);
        const others = Object.values(f.accounts).filter((a) => a !== own);
        for (const other of others) expect(ids).not.toContain(other.keyId);
        expect(response.body).not.toContain(own.key);
      },
    }),
  },
  {
    route: 'DELETE /v1/api-keys/{id}',
    on: "a key of B's",
    expect: { A: 404, B: 204, C: 404, D: 404, E: 404, F: 404, G: 404, Ar: 404, As: 404, anon: 401 },
    prepare: async (f, actor) => {
      const { key, info } = await f.registry.accounts.createApiKey(f.accounts.B.actor, { name: 'b', scopes: ['read'] });
      return {
        call: { method: 'DELETE', url: `/v1/api-keys/${info.id}` },
        after: async () => {
          const me = await call(f.app, { method: 'GET', url: '/v1/me', as: { key } });
          if (actor === 'B') expectProblem(me, 'UNAUTHENTICATED');
          else expect(me.json()).toMatchObject({ id: f.accounts.B.account.id });
        },
      };
    },
  },

  // Organisations, members, rights holders and mandates.
  {
    route: 'POST /v1/organisations',
    on: 'a new organisation',
    expect: { A: 403, B: 403, C: 201, D: 201, E: 403, F: 403, G: 201, Ar: 403, As: 403, anon: 401 },
    prepare: () => ({ call: { method: 'POST', url: '/v1/organisations', body: { name: `Org ${unique()}` } } }),
  },
  {
    route: 'GET /v1/organisations',
    on: "the caller's organisations",
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 200, As: 200, anon: 401 },
    prepare: (f, actor) => ({
      call: { method: 'GET', url: '/v1/organisations' },
      after: (response) => {
        if (actor === 'anon') return;
        const ids = idsOf(response);
        const sees = (org: Organisation, yes: boolean) =>
          yes ? expect(ids).toContain(org.id) : expect(ids).not.toContain(org.id);
        sees(f.orgC, actor === 'C' || actor === 'F' || actor === 'G');
        sees(f.orgD, actor === 'D' || actor === 'F' || actor === 'G');
      },
    }),
  },
  {
    route: 'POST /v1/organisations/{id}/members',
    on: "C's organisation",
    expect: { A: 403, B: 403, C: 204, D: 403, E: 403, F: 403, G: 204, Ar: 403, As: 403, anon: 401 },
    prepare: (f) => ({
      call: {
        method: 'POST',
        url: `/v1/organisations/${f.orgC.id}/members`,
        body: { email: f.accounts.M.email, role: 'member' },
      },
      state: async () =>
        f.registry.database.db.selectFrom('memberships').selectAll().where('organisation_id', '=', f.orgC.id).execute(),
    }),
  },
  {
    route: 'POST /v1/organisations/{id}/mandates',
    on: "A's rights holder, to the operator's organisation",
    expect: { A: 201, B: 403, C: 403, D: 403, E: 403, F: 403, G: 201, Ar: 403, As: 201, anon: 401 },
    prepare: (f) => ({
      call: {
        method: 'POST',
        url: `/v1/organisations/${f.orgX.id}/mandates`,
        body: { rightsHolderId: f.accounts.A.account.rightsHolderId },
      },
      state: async () => f.registry.database.db.selectFrom('mandates').select('id').execute(),
    }),
  },
  {
    route: 'DELETE /v1/mandates/{id}',
    on: "a mandate from A to C's organisation",
    expect: { A: 204, B: 403, C: 403, D: 403, E: 403, F: 403, G: 204, Ar: 403, As: 204, anon: 401 },
    prepare: async (f) => {
      const mandate = await f.registry.organisations.grantMandate(
        f.accounts.A.actor,
        f.orgC.id,
        f.accounts.A.account.rightsHolderId!,
      );
      return {
        call: { method: 'DELETE', url: `/v1/mandates/${mandate.id}` },
        state: async () =>
          f.registry.database.db.selectFrom('mandates').selectAll().where('id', '=', mandate.id).executeTakeFirst(),
      };
    },
  },
  {
    route: 'POST /v1/rights-holders',
    on: "C's organisation",
    expect: { A: 403, B: 403, C: 201, D: 403, E: 403, F: 403, G: 201, Ar: 403, As: 403, anon: 401 },
    prepare: (f) => ({
      call: {
        method: 'POST',
        url: '/v1/rights-holders',
        body: { kind: 'person', name: `Heir ${unique()}`, organisationId: f.orgC.id },
      },
      state: async () => f.registry.database.db.selectFrom('rights_holders').select('id').execute(),
    }),
  },
  {
    route: 'GET /v1/rights-holders',
    on: 'the rights holders the caller acts for',
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 200, As: 200, anon: 401 },
    prepare: (f, actor) => ({
      call: { method: 'GET', url: '/v1/rights-holders' },
      after: (response) => {
        if (actor === 'anon') return;
        const ids = idsOf(response);
        const a = f.accounts.A.account.rightsHolderId!;
        const b = f.accounts.B.account.rightsHolderId!;
        const all = actor === 'F' || actor === 'G';
        const sees = (id: string, yes: boolean) => (yes ? expect(ids).toContain(id) : expect(ids).not.toContain(id));
        sees(a, all || actor === 'A' || actor === 'Ar' || actor === 'As' || actor === 'C');
        sees(b, all || actor === 'B');
        sees(f.orgC.rightsHolderId, all || actor === 'C');
        sees(f.orgD.rightsHolderId, all || actor === 'D');
        if (actor === 'E') expect(ids).toEqual([]);
      },
    }),
  },

  // Works: their owners (and the organisations they mandated) read and change them; auditors read; operators all.
  {
    route: 'POST /v1/works',
    on: "a work naming A's rights holder",
    expect: { A: 201, B: 403, C: 201, D: 403, E: 403, F: 403, G: 201, Ar: 403, As: 201, anon: 401 },
    prepare: (f, actor) => ({
      call: {
        method: 'POST',
        url: '/v1/works',
        body: workBody(f.accounts.A.account.rightsHolderId!, { title: `by ${actor} ${unique()}` }),
      },
      state: async () => f.registry.database.db.selectFrom('works').select('id').execute(),
    }),
  },
  {
    route: 'POST /v1/works',
    on: "a work naming B's rights holder",
    expect: { A: 403, B: 201, C: 403, D: 403, E: 403, F: 403, G: 201, Ar: 403, As: 403, anon: 401 },
    prepare: (f, actor) => ({
      call: {
        method: 'POST',
        url: '/v1/works',
        body: workBody(f.accounts.B.account.rightsHolderId!, { title: `by ${actor} ${unique()}` }),
      },
      state: async () => f.registry.database.db.selectFrom('works').select('id').execute(),
    }),
  },
  {
    route: 'GET /v1/works',
    on: 'the works the caller may read',
    expect: { A: 200, B: 200, C: 200, D: 200, E: 403, F: 200, G: 200, Ar: 200, As: 200, anon: 401 },
    prepare: (f, actor) => ({
      call: { method: 'GET', url: '/v1/works?limit=500' },
      after: (response) => {
        if (response.statusCode !== 200) return;
        const works = itemsOf<{ id: string; rightsHolders: { rightsHolderId: string }[] }>(response);
        const ids = works.map((w) => w.id);
        const a = f.accounts.A.account.rightsHolderId!;
        const b = f.accounts.B.account.rightsHolderId!;
        const names = (rh: string) => works.filter((w) => w.rightsHolders.some((h) => h.rightsHolderId === rh));
        if (actor === 'F' || actor === 'G') {
          expect(ids).toEqual(expect.arrayContaining([f.workA, f.workB]));
          return;
        }
        const mayRead = actor === 'A' || actor === 'Ar' || actor === 'As' || actor === 'C';
        expect(ids.includes(f.workA)).toBe(mayRead);
        expect(names(a).length > 0).toBe(mayRead);
        expect(ids.includes(f.workB)).toBe(actor === 'B');
        expect(names(b).length > 0).toBe(actor === 'B');
        if (actor === 'A' || actor === 'Ar' || actor === 'As') expect(names(a)).toHaveLength(works.length);
        if (actor === 'B') expect(names(b)).toHaveLength(works.length);
        if (actor === 'D') expect(works).toEqual([]);
      },
    }),
  },
  {
    route: 'GET /v1/works/{id}',
    on: "A's work",
    expect: { A: 200, B: 403, C: 200, D: 403, E: 403, F: 200, G: 200, Ar: 200, As: 200, anon: 401 },
    prepare: (f) => ({
      call: { method: 'GET', url: `/v1/works/${f.workA}` },
      after: (response) => {
        if (response.statusCode === 200) expect(response.json()).toMatchObject({ id: f.workA });
        else expect(response.body).not.toContain('rightsHolders');
      },
    }),
  },
  {
    route: 'GET /v1/works/{id}',
    on: "B's work",
    expect: { A: 403, B: 200, C: 403, D: 403, E: 403, F: 200, G: 200, Ar: 403, As: 403, anon: 401 },
    prepare: (f) => ({
      call: { method: 'GET', url: `/v1/works/${f.workB}` },
      after: (response) => {
        if (response.statusCode !== 200) expect(response.body).not.toContain(f.accounts.B.account.rightsHolderId);
      },
    }),
  },
  {
    route: 'PUT /v1/works/{id}',
    on: "A's work",
    expect: { A: 200, B: 403, C: 200, D: 403, E: 403, F: 403, G: 200, Ar: 403, As: 200, anon: 401 },
    prepare: (f, actor) => ({
      call: {
        method: 'PUT',
        url: `/v1/works/${f.workA}`,
        body: workBody(f.accounts.A.account.rightsHolderId!, { title: `replaced by ${actor}` }),
      },
      state: () => storedWork(f, f.workA),
    }),
  },
  {
    route: 'PUT /v1/works/{id}',
    on: "B's work",
    expect: { A: 403, B: 200, C: 403, D: 403, E: 403, F: 403, G: 200, Ar: 403, As: 403, anon: 401 },
    prepare: (f, actor) => ({
      call: {
        method: 'PUT',
        url: `/v1/works/${f.workB}`,
        body: workBody(f.accounts.B.account.rightsHolderId!, { title: `replaced by ${actor}` }),
      },
      state: () => storedWork(f, f.workB),
    }),
  },
  {
    route: 'PUT /v1/works/{id}/policy/{use}',
    on: "A's work, ai-train",
    expect: { A: 200, B: 403, C: 200, D: 403, E: 403, F: 403, G: 200, Ar: 403, As: 200, anon: 401 },
    prepare: (f, actor) => ({
      call: {
        method: 'PUT',
        url: `/v1/works/${f.workA}/policy/ai-train`,
        body: actor.length % 2 === 0 ? { kind: 'deny' } : { kind: 'allow' },
      },
      state: () => storedWork(f, f.workA),
    }),
  },
  {
    route: 'PUT /v1/works/{id}/policy/{use}',
    on: "B's work, search",
    expect: { A: 403, B: 200, C: 403, D: 403, E: 403, F: 403, G: 200, Ar: 403, As: 403, anon: 401 },
    prepare: (f) => ({
      call: { method: 'PUT', url: `/v1/works/${f.workB}/policy/search`, body: { kind: 'deny' } },
      state: () => storedWork(f, f.workB),
    }),
  },
  {
    route: 'GET /v1/works/{id}/policy',
    on: "A's work (public view)",
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 200, As: 200, anon: 401 },
    prepare: (f) => ({
      call: { method: 'GET', url: `/v1/works/${f.workA}/policy` },
      after: (response) => {
        if (response.statusCode !== 200) return;
        expect(response.json()).toMatchObject({ id: f.workA });
        expect(response.body).not.toContain(f.accounts.A.account.rightsHolderId);
      },
    }),
  },

  // Disputes.
  {
    route: 'GET /v1/disputes',
    on: 'the disputes the caller may see',
    expect: { A: 200, B: 200, C: 200, D: 200, E: 403, F: 200, G: 200, Ar: 200, As: 200, anon: 401 },
    prepare: (f, actor) => ({
      call: { method: 'GET', url: '/v1/disputes' },
      after: (response) => {
        if (response.statusCode === 200) expect(idsOf(response).includes(f.disputeAB)).toBe(actor !== 'D');
      },
    }),
  },
  {
    route: 'POST /v1/disputes/{id}/resolution',
    on: 'an open dispute',
    expect: { A: 403, B: 403, C: 403, D: 403, E: 403, F: 403, G: 200, Ar: 403, As: 403, anon: 401 },
    prepare: async (f) => {
      const id = await freshDispute(f);
      return {
        call: { method: 'POST', url: `/v1/disputes/${id}/resolution`, body: { resolution: 'both may stay' } },
        state: async () => f.registry.database.db.selectFrom('disputes').selectAll().where('id', '=', id).execute(),
      };
    },
  },
  {
    route: 'POST /v1/disputes/{id}/resolution',
    on: "A's and B's dispute",
    expect: { A: 403, B: 403, C: 403, D: 403, E: 403, F: 403, G: 200, Ar: 403, As: 403, anon: 401 },
    prepare: (f) => ({
      call: { method: 'POST', url: `/v1/disputes/${f.disputeAB}/resolution`, body: { resolution: 'mine' } },
      state: async () =>
        f.registry.database.db.selectFrom('disputes').selectAll().where('id', '=', f.disputeAB).execute(),
    }),
  },

  // Checks, imports and the event feed.
  {
    route: 'POST /v1/check',
    on: "A's work",
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 403, As: 200, anon: 401 },
    prepare: () => ({
      call: {
        method: 'POST',
        url: '/v1/check',
        body: { regime: 'permission-first', use: 'ai-train', items: [{ url: 'https://a.example/work' }] },
      },
    }),
  },
  {
    route: 'GET /v1/index/snapshot',
    on: 'the index snapshot (public policy data, check scope)',
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 403, As: 200, anon: 401 },
    prepare: () => ({
      call: { method: 'GET', url: '/v1/index/snapshot' },
      after: (response) => {
        if (response.statusCode === 200) expect(response.rawPayload.subarray(0, 8).toString('latin1')).toBe('HEOGAIX1');
      },
    }),
  },
  {
    route: 'POST /v1/organisations/{id}/imports',
    on: "C's organisation",
    expect: { A: 403, B: 403, C: 200, D: 403, E: 403, F: 403, G: 200, Ar: 403, As: 403, anon: 401 },
    prepare: (f) => ({
      call: {
        method: 'POST',
        url: `/v1/organisations/${f.orgC.id}/imports?format=csv`,
        contentType: 'text/csv',
        body: `${CSV_HEADER}\nMX-1,text,가져온 작품,${f.orgC.rightsHolderId}:publisher:100,deny\n`,
      },
      state: async () =>
        f.registry.database.db.selectFrom('works').select('id').where('organisation_id', '=', f.orgC.id).execute(),
      after: (response) => {
        if (response.statusCode === 200) expect(response.json()).toMatchObject({ outcome: 'committed', rejected: 0 });
      },
    }),
  },
  {
    route: 'GET /v1/events',
    on: 'the event feed',
    expect: { A: 403, B: 403, C: 403, D: 403, E: 403, F: 200, G: 200, Ar: 403, As: 403, anon: 401 },
    prepare: () => ({
      call: { method: 'GET', url: '/v1/events?limit=1000' },
      after: (response) => {
        if (response.statusCode === 200) expect(itemsOf(response).length).toBeGreaterThan(0);
      },
    }),
  },
  {
    route: 'GET /v1/log/checkpoint',
    on: 'the transparency log (public)',
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 200, As: 200, anon: 200 },
    prepare: () => ({ call: { method: 'GET', url: '/v1/log/checkpoint' } }),
  },
  {
    route: 'POST /v1/log/cosignatures',
    on: 'a valid cosignature by any witness key (public)',
    expect: { A: 201, B: 201, C: 201, D: 201, E: 201, F: 201, G: 201, Ar: 201, As: 201, anon: 201 },
    prepare: async (f) => {
      const body = await witnessCosignature(f, true);
      return {
        call: { method: 'POST', url: '/v1/log/cosignatures', body },
        after: async (response) => {
          expect(response.json()).toMatchObject({ created: true, witnessedAt: '2026-11-25T12:00:00.000Z' });
          const served = await f.registry.log!.checkpoint(BigInt(f.logSize));
          expect(served!.note).toContain(`${body['signature']}\n`);
        },
      };
    },
  },
  {
    route: 'POST /v1/log/cosignatures',
    on: 'a cosignature over another text (public)',
    expect: { A: 422, B: 422, C: 422, D: 422, E: 422, F: 422, G: 422, Ar: 422, As: 422, anon: 422 },
    prepare: async (f) => ({
      call: { method: 'POST', url: '/v1/log/cosignatures', body: await witnessCosignature(f, false) },
      state: () => cosignatureCount(f),
    }),
  },
  {
    route: 'GET /v1/log/key',
    on: 'the transparency log (public)',
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 200, As: 200, anon: 200 },
    prepare: () => ({ call: { method: 'GET', url: '/v1/log/key' } }),
  },
  {
    route: 'GET /v1/log/entries',
    on: 'the transparency log (public)',
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 200, As: 200, anon: 200 },
    prepare: () => ({
      call: { method: 'GET', url: '/v1/log/entries?start=0&limit=1000' },
      after: (response) => {
        // Entries never carry people's names or emails in the clear.
        expect(response.body).not.toContain('@example.com');
      },
    }),
  },
  {
    route: 'GET /v1/log/proofs/inclusion',
    on: 'the transparency log (public)',
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 200, As: 200, anon: 200 },
    prepare: (f) => ({ call: { method: 'GET', url: `/v1/log/proofs/inclusion?index=0&treeSize=${f.logSize}` } }),
  },
  {
    route: 'GET /v1/log/proofs/consistency',
    on: 'the transparency log (public)',
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 200, As: 200, anon: 200 },
    prepare: (f) => ({ call: { method: 'GET', url: `/v1/log/proofs/consistency?from=${f.logSize}&to=${f.logSize}` } }),
  },
  {
    route: 'GET /v1/log/receipts',
    on: "receipts for A's work (public)",
    expect: { A: 200, B: 200, C: 200, D: 200, E: 200, F: 200, G: 200, Ar: 200, As: 200, anon: 200 },
    prepare: (f) => ({ call: { method: 'GET', url: `/v1/log/receipts?subjectType=work&subjectId=${f.workA}` } }),
  },
];

/** Every `METHOD /path` the app serves under /v1, read from Fastify's route tree (HEAD mirrors GET). */
function servedRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)(?:[├└]── )?(\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4 + (line.includes('── ') ? 1 : 0);
    stack.length = depth;
    stack[depth] = match[2]!;
    const path = stack.join('');
    for (const method of (match[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD'))
      if (path.startsWith('/v1/')) routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return [...new Set(routes)].sort();
}

describeEachEngine('server: who may do what, route by route', (get) => {
  let fixture: Fixture | undefined;
  const f = (): Fixture => {
    if (!fixture) throw new Error('fixture not ready');
    return fixture;
  };

  beforeAll(async () => {
    const { registry } = get();
    const app = await openTestApp(registry);
    const [A, B, C, D, E, F, G, M] = await Promise.all([
      makeAccount(registry, 'a@example.com', 'creator'),
      makeAccount(registry, 'b@example.com', 'creator'),
      makeAccount(registry, 'c@example.com', 'org-admin'),
      makeAccount(registry, 'd@example.com', 'org-admin'),
      makeAccount(registry, 'e@example.com', 'developer'),
      makeAccount(registry, 'f@example.com', 'auditor'),
      makeAccount(registry, 'g@example.com', 'operator'),
      makeAccount(registry, 'm@example.com', 'developer'),
    ]);
    const readOnly = await registry.accounts.createApiKey(A.actor, { name: 'read only', scopes: ['read'] });
    const signedIn = await registry.accounts.signIn(A.email, PASSWORD);
    const orgC = await registry.organisations.createOrganisation(C.actor, { name: 'C association' });
    const orgD = await registry.organisations.createOrganisation(D.actor, { name: 'D association' });
    const orgX = await registry.organisations.createOrganisation(G.actor, { name: 'X registry desk' });
    await registry.organisations.grantMandate(A.actor, orgC.id, A.account.rightsHolderId!);
    const claimant = (name: string) => registry.organisations.createRightsHolder(G.actor, { kind: 'person', name });
    const claimants = [(await claimant('X1')).id, (await claimant('X2')).id] as const;
    const a = A.account.rightsHolderId!;
    const b = B.account.rightsHolderId!;
    const workA = await registry.works.registerWork(
      A.actor,
      workBody(a, { title: 'A의 작품', identifiers: [{ scheme: 'url', value: 'https://a.example/work' }] }),
    );
    const workB = await registry.works.registerWork(B.actor, workBody(b, { title: 'B의 작품' }));
    // A and B each claim the same page: a dispute both may see.
    const shared = [{ scheme: 'url' as const, value: 'https://shared.example/page' }];
    await registry.works.registerWork(A.actor, workBody(a, { identifiers: shared }));
    const contested = await registry.works.registerWork(B.actor, workBody(b, { identifiers: shared }));
    const [dispute] = await registry.works.listDisputes(B.actor);
    expect([dispute?.workId, dispute?.otherWorkId]).toContain(contested.id);
    fixture = {
      registry,
      app,
      accounts: { A, B, C, D, E, F, G, M },
      readOnlyKeyOfA: { key: readOnly.key, id: readOnly.info.id },
      sessionOfA: { token: signedIn.token, csrfToken: signedIn.csrfToken },
      orgC,
      orgD,
      orgX,
      claimants,
      workA: workA.id,
      workB: workB.id,
      disputeAB: dispute!.id,
      logSize: await registry.log!.appendPending().then(async () => (await registry.log!.latestCheckpoint())!.size),
    };
  });
  afterAll(async () => {
    await fixture?.app.close();
  });

  it('has a row for every route the app serves, and the OpenAPI document lists the same routes', () => {
    const table = [...new Set(MATRIX.map((row) => row.route))].sort();
    expect(servedRoutes(f().app)).toEqual(table);
    const paths = (f().app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
    const documented = Object.entries(paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(table);
  });

  const cases = MATRIX.flatMap((row) => ACTORS.map((actor) => ({ ...row, actor, status: row.expect[actor], row })));

  it.each(cases)('$route on $on, as $actor: $status', async ({ row, actor, status }) => {
    const prepared = await row.prepare(f(), actor);
    const { as, ...request } = prepared.call;
    const before = await prepared.state?.();
    const response = await call(f().app, { ...request, as: as ?? credentialOf(f(), actor) });
    expect({ status: response.statusCode, body: response.body }).toMatchObject({ status });
    if (status >= 400) {
      expectProblem(response, PROBLEM_OF_STATUS[status as keyof typeof PROBLEM_OF_STATUS]);
      if (prepared.state) expect(await prepared.state()).toEqual(before);
    }
    await prepared.after?.(response);
  });
});
