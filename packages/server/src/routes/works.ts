import { USES } from '@heoga/core';
import type { Registry, Work } from '@heoga/registry';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../auth.js';
import { ApiError } from '../problem.js';
import {
  disputeSchema,
  errorResponses,
  idParams,
  publicWorkSchema,
  resolveDisputeBody,
  stanceSchema,
  workBody,
  workPageSchema,
  workSchema,
  list,
} from '../schemas.js';

/** The strong ETag of a work version. */
export function etagOf(work: Pick<Work, 'id' | 'version'>): string {
  return `"${work.id}.v${work.version}"`;
}

/** The version an If-Match header asks for, or undefined when absent; a malformed header is a 412. */
function expectedVersion(request: FastifyRequest, id: string): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = new RegExp(`^"${id.replace(/[^\w]/g, '')}\\.v(\\d+)"$`).exec(header.trim());
  if (!match) throw new ApiError('VERSION_MISMATCH', `If-Match ${header} is not an ETag of work ${id}`);
  return Number(match[1]);
}

function sendWork(reply: FastifyReply, work: Work, status = 200) {
  return reply.status(status).header('etag', etagOf(work)).send(work);
}

/**
 * The largest work body accepted (4 MiB): a work's winnowing fingerprints grow with its length (a 600,000-character
 * novel gives about 900,000 characters of them), so work writes get more room than other JSON bodies.
 */
export const WORK_BODY_LIMIT = 4 * 1024 * 1024;

/** Works, their policies, and disputes. */
export function workRoutes(app: FastifyInstance, registry: Registry): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/v1/works', {
    bodyLimit: WORK_BODY_LIMIT,
    schema: {
      tags: ['works'],
      summary: 'Register a work with its policy',
      body: workBody,
      response: { 201: workSchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      sendWork(reply, await registry.works.registerWork(actorOf(request), request.body), 201),
  });

  r.get('/v1/works', {
    schema: {
      tags: ['works'],
      summary: 'Works you may read, newest first (cursor pagination)',
      querystring: z.strictObject({
        cursor: z.string().max(500).optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
      }),
      response: { 200: workPageSchema, ...errorResponses },
    },
    handler: async (request) => {
      const { cursor, limit } = request.query;
      return registry.works.listWorks(actorOf(request), { ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) });
    },
  });

  r.get('/v1/works/:id', {
    schema: {
      tags: ['works'],
      summary: 'A work you may read (with ETag)',
      params: idParams,
      response: { 200: workSchema, 304: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      const work = await registry.works.getWorkOrThrow(actorOf(request), request.params.id);
      if (request.headers['if-none-match'] === etagOf(work))
        return reply.status(304).header('etag', etagOf(work)).send(null);
      return sendWork(reply, work);
    },
  });

  r.put('/v1/works/:id', {
    bodyLimit: WORK_BODY_LIMIT,
    schema: {
      tags: ['works'],
      summary: 'Replace a work (send If-Match with its ETag to avoid overwriting changes)',
      params: idParams,
      body: workBody,
      response: { 200: workSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      return sendWork(
        reply,
        await registry.works.updateWork(actorOf(request), id, request.body, expectedVersion(request, id)),
      );
    },
  });

  r.put('/v1/works/:id/policy/:use', {
    schema: {
      tags: ['works'],
      summary: 'Set the stance for one use of a work',
      params: z.strictObject({ id: z.string().min(1).max(100), use: z.enum(USES) }),
      body: stanceSchema,
      response: { 200: workSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { id, use } = request.params;
      return sendWork(
        reply,
        await registry.works.setPolicy(actorOf(request), id, use, request.body, expectedVersion(request, id)),
      );
    },
  });

  r.get('/v1/works/:id/policy', {
    schema: {
      tags: ['works'],
      summary: 'The public view of a work and its effective policy (any authenticated caller)',
      params: idParams,
      response: { 200: publicWorkSchema, ...errorResponses },
    },
    handler: async (request) => {
      actorOf(request);
      return registry.works.getPublicWorkOrThrow(request.params.id);
    },
  });

  r.get('/v1/disputes', {
    schema: {
      tags: ['disputes'],
      summary: 'Disputes on your works (all, for auditors and operators)',
      querystring: z.strictObject({ status: z.enum(['open', 'resolved']).optional() }),
      response: { 200: z.object({ items: list(disputeSchema) }), ...errorResponses },
    },
    handler: async (request) => ({
      items: await registry.works.listDisputes(
        actorOf(request),
        request.query.status ? { status: request.query.status } : {},
      ),
    }),
  });

  r.post('/v1/disputes/:id/resolution', {
    schema: {
      tags: ['disputes'],
      summary: 'Resolve a dispute (operators)',
      params: idParams,
      body: resolveDisputeBody,
      response: { 200: disputeSchema, ...errorResponses },
    },
    handler: async (request) => registry.works.resolveDispute(actorOf(request), request.params.id, request.body),
  });
}
