import { z } from 'zod';
import type { RegistryDatabase } from '../db/open-database.js';
import type { RegistryDeps } from '../deps.js';
import { RegistryError } from '../errors.js';
import { adminOrganisations, controlledRightsHolders, requireScope } from './access.js';
import type { Actor } from './actor.js';
import { beginWrite, recordEvent } from './events.js';
import { validate } from './validate.js';

/** An organisation: a creators' association, collective management organisation, publisher or broadcaster. */
export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly rightsHolderId: string;
  readonly createdAt: string;
}

/** A rights holder: a person or an organisation who may grant or refuse permission. */
export interface RightsHolder {
  readonly id: string;
  readonly kind: 'person' | 'organisation';
  readonly name: string;
  /** Whether an account speaks for this rights holder (a creator who signed up). */
  readonly hasAccount: boolean;
  readonly createdAt: string;
}

/** A member's authorisation for an organisation to act for a rights holder's works. */
export interface Mandate {
  readonly id: string;
  readonly organisationId: string;
  readonly rightsHolderId: string;
  readonly grantedBy: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export const organisationInput = z.strictObject({ name: z.string().trim().min(1).max(200) });
export const memberInput = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  role: z.enum(['admin', 'member']),
});
export const rightsHolderInput = z.strictObject({
  kind: z.enum(['person', 'organisation']),
  name: z.string().trim().min(1).max(200),
  /** For an organisation admin: the organisation that represents this rights holder (a mandate is recorded). */
  organisationId: z.string().min(1).max(100).optional(),
});

/** Organisations, memberships, rights holders and mandates. */
export class OrganisationService {
  constructor(
    private readonly database: RegistryDatabase,
    private readonly deps: RegistryDeps,
  ) {}

  /** Creates an organisation (organisation admins and operators); the creator becomes its admin. */
  async createOrganisation(actor: Actor, input: z.input<typeof organisationInput>): Promise<Organisation> {
    requireScope(actor, 'write');
    if (actor.role !== 'org-admin' && actor.role !== 'operator') {
      throw new RegistryError('FORBIDDEN', 'only organisation admins and operators create organisations');
    }
    const data = validate(organisationInput, input);
    const now = this.deps.now().toISOString();
    const org = {
      id: this.deps.newId('org'),
      name: data.name,
      rights_holder_id: this.deps.newId('rh'),
      created_at: now,
    };
    await this.database.db.transaction().execute(async (trx) => {
      await beginWrite(trx, this.database.engine);
      await trx
        .insertInto('rights_holders')
        .values({ id: org.rights_holder_id, kind: 'organisation', name: data.name, account_id: null, created_at: now })
        .execute();
      await trx.insertInto('organisations').values(org).execute();
      await trx
        .insertInto('memberships')
        .values({ organisation_id: org.id, account_id: actor.accountId, role: 'admin', created_at: now })
        .execute();
      await recordEvent(trx, this.deps, {
        type: 'organisation.created',
        actorId: actor.accountId,
        subjectType: 'organisation',
        subjectId: org.id,
        after: { id: org.id, name: data.name },
      });
    });
    return { id: org.id, name: org.name, rightsHolderId: org.rights_holder_id, createdAt: now };
  }

  /** The organisations the actor belongs to (every one for auditors and operators). */
  async listOrganisations(actor: Actor): Promise<Organisation[]> {
    requireScope(actor, 'read');
    let query = this.database.db.selectFrom('organisations').selectAll();
    if (actor.role !== 'auditor' && actor.role !== 'operator') {
      query = query.where(
        'id',
        'in',
        this.database.db.selectFrom('memberships').select('organisation_id').where('account_id', '=', actor.accountId),
      );
    }
    const rows = await query.orderBy('created_at').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, rightsHolderId: r.rights_holder_id, createdAt: r.created_at }));
  }

  private async assertAdmin(actor: Actor, organisationId: string): Promise<void> {
    const exists = await this.database.db
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', organisationId)
      .executeTakeFirst();
    if (!exists) throw new RegistryError('NOT_FOUND', `no organisation ${organisationId}`);
    if (actor.role === 'operator') return;
    if (!(await adminOrganisations(this.database.db, actor)).includes(organisationId)) {
      throw new RegistryError('FORBIDDEN', `you do not administer organisation ${organisationId}`);
    }
  }

  /** Adds an existing account to an organisation (its admins only). */
  async addMember(actor: Actor, organisationId: string, input: z.input<typeof memberInput>): Promise<void> {
    requireScope(actor, 'write');
    const data = validate(memberInput, input);
    await this.assertAdmin(actor, organisationId);
    const account = await this.database.db
      .selectFrom('accounts')
      .select(['id', 'role'])
      .where('email', '=', data.email)
      .executeTakeFirst();
    if (!account) throw new RegistryError('NOT_FOUND', `no account with email ${data.email}`);
    if (data.role === 'admin' && account.role !== 'org-admin' && account.role !== 'operator') {
      throw new RegistryError('VALIDATION_FAILED', 'only organisation-admin accounts can be organisation admins', {
        issues: [{ path: 'role', message: 'account is not an organisation admin' }],
      });
    }
    await this.database.db.transaction().execute(async (trx) => {
      await beginWrite(trx, this.database.engine);
      const existing = await trx
        .selectFrom('memberships')
        .select('role')
        .where('organisation_id', '=', organisationId)
        .where('account_id', '=', account.id)
        .executeTakeFirst();
      if (existing) {
        await trx
          .updateTable('memberships')
          .set({ role: data.role })
          .where('organisation_id', '=', organisationId)
          .where('account_id', '=', account.id)
          .execute();
      } else {
        await trx
          .insertInto('memberships')
          .values({
            organisation_id: organisationId,
            account_id: account.id,
            role: data.role,
            created_at: this.deps.now().toISOString(),
          })
          .execute();
      }
      await recordEvent(trx, this.deps, {
        type: 'membership.added',
        actorId: actor.accountId,
        subjectType: 'organisation',
        subjectId: organisationId,
        ...(existing ? { before: { accountId: account.id, role: existing.role } } : {}),
        after: { accountId: account.id, role: data.role },
      });
    });
  }

  /**
   * Creates a rights holder. A creator's own person rights holder is made at sign-up; an organisation admin creates
   * rights holders its catalog names (heirs, co-authors without accounts), and a mandate for the organisation is
   * recorded with it. Operators may create any.
   */
  async createRightsHolder(actor: Actor, input: z.input<typeof rightsHolderInput>): Promise<RightsHolder> {
    requireScope(actor, 'write');
    const data = validate(rightsHolderInput, input);
    if (actor.role === 'org-admin') {
      if (data.organisationId === undefined) {
        throw new RegistryError(
          'VALIDATION_FAILED',
          'organisationId is required: the organisation that represents this rights holder',
          { issues: [{ path: 'organisationId', message: 'required' }] },
        );
      }
      await this.assertAdmin(actor, data.organisationId);
    } else if (actor.role !== 'operator') {
      throw new RegistryError('FORBIDDEN', `a ${actor.role} account cannot create rights holders`);
    }
    const now = this.deps.now().toISOString();
    const id = this.deps.newId('rh');
    await this.database.db.transaction().execute(async (trx) => {
      await beginWrite(trx, this.database.engine);
      await trx
        .insertInto('rights_holders')
        .values({ id, kind: data.kind, name: data.name, account_id: null, created_at: now })
        .execute();
      await recordEvent(trx, this.deps, {
        type: 'rights-holder.created',
        actorId: actor.accountId,
        subjectType: 'rights-holder',
        subjectId: id,
        after: { id, kind: data.kind, name: data.name },
      });
      if (data.organisationId !== undefined) {
        const mandateId = this.deps.newId('mnd');
        await trx
          .insertInto('mandates')
          .values({
            id: mandateId,
            organisation_id: data.organisationId,
            rights_holder_id: id,
            granted_by: actor.accountId,
            created_at: now,
            revoked_at: null,
          })
          .execute();
        await recordEvent(trx, this.deps, {
          type: 'mandate.granted',
          actorId: actor.accountId,
          subjectType: 'mandate',
          subjectId: mandateId,
          after: { organisationId: data.organisationId, rightsHolderId: id },
        });
      }
    });
    return { id, kind: data.kind, name: data.name, hasAccount: false, createdAt: now };
  }

  /** The rights holders the actor acts for (all of them for auditors and operators). */
  async listRightsHolders(actor: Actor): Promise<RightsHolder[]> {
    requireScope(actor, 'read');
    let query = this.database.db.selectFrom('rights_holders').selectAll();
    if (actor.role !== 'auditor' && actor.role !== 'operator') {
      const ids = await controlledRightsHolders(this.database.db, actor);
      if (ids.length === 0) return [];
      query = query.where('id', 'in', ids);
    }
    const rows = await query.orderBy('created_at').limit(10_000).execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind === 'organisation' ? 'organisation' : 'person',
      name: r.name,
      hasAccount: r.account_id !== null,
      createdAt: r.created_at,
    }));
  }

  /** A creator gives an organisation a mandate to act for their works. */
  async grantMandate(actor: Actor, organisationId: string, rightsHolderId: string): Promise<Mandate> {
    requireScope(actor, 'write');
    const org = await this.database.db
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', organisationId)
      .executeTakeFirst();
    if (!org) throw new RegistryError('NOT_FOUND', `no organisation ${organisationId}`);
    const mine =
      actor.role === 'operator' ||
      (actor.role === 'creator' && (await controlledRightsHolders(this.database.db, actor)).includes(rightsHolderId));
    if (!mine) throw new RegistryError('FORBIDDEN', 'only the rights holder (or an operator) grants a mandate');
    const mandate = {
      id: this.deps.newId('mnd'),
      organisation_id: organisationId,
      rights_holder_id: rightsHolderId,
      granted_by: actor.accountId,
      created_at: this.deps.now().toISOString(),
      revoked_at: null,
    };
    await this.database.db.transaction().execute(async (trx) => {
      await beginWrite(trx, this.database.engine);
      await trx.insertInto('mandates').values(mandate).execute();
      await recordEvent(trx, this.deps, {
        type: 'mandate.granted',
        actorId: actor.accountId,
        subjectType: 'mandate',
        subjectId: mandate.id,
        after: { organisationId, rightsHolderId },
      });
    });
    return {
      id: mandate.id,
      organisationId,
      rightsHolderId,
      grantedBy: actor.accountId,
      createdAt: mandate.created_at,
      revokedAt: null,
    };
  }

  /** The rights holder (or an operator) withdraws a mandate. */
  async revokeMandate(actor: Actor, mandateId: string): Promise<void> {
    requireScope(actor, 'write');
    const row = await this.database.db
      .selectFrom('mandates')
      .selectAll()
      .where('id', '=', mandateId)
      .executeTakeFirst();
    if (!row || row.revoked_at !== null) throw new RegistryError('NOT_FOUND', `no active mandate ${mandateId}`);
    const mine =
      actor.role === 'operator' ||
      (actor.role === 'creator' &&
        (await controlledRightsHolders(this.database.db, actor)).includes(row.rights_holder_id));
    if (!mine) throw new RegistryError('FORBIDDEN', 'only the rights holder (or an operator) revokes a mandate');
    await this.database.db.transaction().execute(async (trx) => {
      await beginWrite(trx, this.database.engine);
      await trx
        .updateTable('mandates')
        .set({ revoked_at: this.deps.now().toISOString() })
        .where('id', '=', mandateId)
        .execute();
      await recordEvent(trx, this.deps, {
        type: 'mandate.revoked',
        actorId: actor.accountId,
        subjectType: 'mandate',
        subjectId: mandateId,
        before: { organisationId: row.organisation_id, rightsHolderId: row.rights_holder_id },
      });
    });
  }
}
