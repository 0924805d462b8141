import { RegistryError, type Registry } from '@heoga/registry';
import type { FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../auth.js';
import { serializeCheckResponse } from '../check-response.js';
import { ApiError } from '../problem.js';
import {
  checkBody,
  checkResponseSchema,
  errorResponses,
  eventSchema,
  importReportSchema,
  idParams,
  list,
} from '../schemas.js';

/** The largest catalog accepted over HTTP (64 MiB). */
export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

/** The check endpoint, catalog imports and the event feed. */
export function checkRoutes(app: FastifyInstance, registry: Registry): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/v1/check', {
    schema: {
      tags: ['check'],
      summary: 'Verdicts for up to 1,000 items (identifiers, URLs, SHA-256) under a regime, for a use',
      body: checkBody,
      response: { 200: checkResponseSchema, ...errorResponses },
    },
    // The body is validated once, by the registry's own reading of a check request (by hand for the common shape),
    // and handed to the check as already valid. A body the registry refuses goes through the route schema, so that
    // a malformed shape is still a 400 REQUEST_INVALID with the schema's issues, and a well-shaped body with bad
    // values (two targets in one item, a SHA-256 that is not hex) reaches the check and its 422.
    validatorCompiler: ({ method, url, httpPart }) => {
      const bySchema = validatorCompiler({ schema: checkBody, method, url, ...(httpPart ? { httpPart } : {}) });
      return (body: unknown) => {
        const parsed = registry.check.parseInput(body);
        return parsed.ok ? { value: parsed.value } : bySchema(body);
      };
    },
    // The answer is built by the registry from typed values: serialise it directly (the schema documents it), with
    // the JSON of the parts the registry shares between calls made once.
    handler: async (request, reply) => {
      const answer = await registry.check.check(actorOf(request), request.body);
      return reply.type('application/json; charset=utf-8').serializer(serializeCheckResponse).send(answer);
    },
  });

  r.post('/v1/organisations/:id/imports', {
    schema: {
      tags: ['organisations'],
      summary: 'Import a catalog (CSV or JSON Lines body) into an organisation',
      params: idParams,
      querystring: z.strictObject({
        format: z.enum(['csv', 'jsonl']),
        dryRun: z.enum(['true', 'false']).optional(),
        partial: z.enum(['true', 'false']).optional(),
      }),
      response: { 200: importReportSchema, ...errorResponses },
    },
    bodyLimit: IMPORT_BODY_LIMIT,
    handler: async (request) => {
      const body = request.body;
      if (!Buffer.isBuffer(body))
        throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send the catalog as text/csv or application/x-ndjson');
      const report = await registry.imports.importCatalog(actorOf(request), request.params.id, body, {
        format: request.query.format,
        dryRun: request.query.dryRun === 'true',
        partial: request.query.partial === 'true',
      });
      if (report.outcome === 'rejected') {
        throw new ApiError(
          'IMPORT_REJECTED',
          `${report.rejected} of ${report.rowsTotal} rows are invalid; nothing was imported (use partial=true to import the valid rows)`,
          report.errors.map((e) => ({ path: `line ${e.line}: ${e.path}`, message: e.message })),
        );
      }
      return report;
    },
  });

  r.get('/v1/events', {
    schema: {
      tags: ['events'],
      summary: 'The event feed, in commit order (auditors and operators)',
      querystring: z.strictObject({
        after: z.coerce.number().int().min(0).optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
      }),
      response: { 200: z.object({ items: list(eventSchema) }), ...errorResponses },
    },
    handler: async (request) => {
      const actor = actorOf(request);
      if (actor.role !== 'auditor' && actor.role !== 'operator')
        throw new RegistryError('FORBIDDEN', 'only auditors and operators read the event feed');
      if (!actor.scopes.includes('read'))
        throw new RegistryError('FORBIDDEN', "this credential lacks the 'read' scope");
      const rows = await registry.database.db
        .selectFrom('events')
        .selectAll()
        .where('seq', '>', request.query.after ?? 0)
        .orderBy('seq')
        .limit(request.query.limit ?? 100)
        .execute();
      return {
        items: rows.map((e) => ({
          seq: e.seq,
          id: e.id,
          type: e.type,
          actorId: e.actor_id,
          subjectType: e.subject_type,
          subjectId: e.subject_id,
          at: e.at,
          before: e.before === null ? null : (JSON.parse(e.before) as unknown),
          after: e.after === null ? null : (JSON.parse(e.after) as unknown),
        })),
      };
    },
  });
}
