import type { Registry, TransparencyLog } from '@heoga/registry';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../problem.js';
import { errorResponses, list } from '../schemas.js';

const decimal = z.string().regex(/^(?:0|[1-9][0-9]{0,18})$/, 'a decimal number');

export const receiptSchema = z
  .object({
    format: z.literal('heoga-receipt/v1'),
    index: z.string(),
    entry: z.string().describe("the entry's canonical JSON: the exact bytes of the Merkle leaf"),
    treeSize: z.string(),
    proof: list(z.string()).describe('RFC 9162 inclusion proof, base64 hashes'),
    checkpoint: z
      .string()
      .describe("the signed checkpoint (C2SP tlog-checkpoint note) for treeSize, with its witnesses' cosignatures"),
  })
  .meta({ id: 'Receipt', description: 'Proof that an entry is in the log; check it offline with `heoga verify`' });

const cosignatureSchema = z
  .object({
    checkpointSize: z.string(),
    witness: z.string().describe("the witness key's name"),
    keyId: z.string().describe('the key ID, 8 hex digits'),
    witnessedAt: z.string().describe('when the witness cosigned (the cosignature time), RFC 3339 UTC'),
    signature: z.string().describe('the signature line the checkpoint note now carries'),
    created: z.boolean().describe('false when the log already held a cosignature from this key'),
  })
  .meta({ id: 'Cosignature', description: "A witness's cosignature stored on a checkpoint" });

/**
 * The transparency log, public to everyone (no credentials): checkpoints, entries, proofs and receipts. Entries
 * carry no personal data (names are hashed), so there is nothing to hide.
 */
export function logRoutes(app: FastifyInstance, registry: Registry): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const logOf = (): TransparencyLog => {
    if (!registry.log) throw new ApiError('NOT_FOUND', 'this server runs without a transparency log');
    return registry.log;
  };

  r.get('/v1/log/checkpoint', {
    schema: {
      tags: ['log'],
      summary: "The latest signed checkpoint (text/plain, C2SP tlog-checkpoint), with its witnesses' cosignatures",
      response: { 200: z.string(), ...errorResponses },
    },
    handler: async (_request, reply) => {
      const log = logOf();
      await log.appendPending();
      const latest = await log.latestCheckpoint();
      if (!latest) throw new ApiError('NOT_FOUND', 'the log is still empty');
      return reply
        .type('text/plain; charset=utf-8')
        .serializer((v) => String(v))
        .send(latest.note);
    },
  });

  r.post('/v1/log/cosignatures', {
    schema: {
      tags: ['log'],
      summary: "A witness's cosignature (C2SP tlog-cosignature, cosignature/v1) on a published checkpoint",
      description:
        'Public: any witness key may cosign, since verifiers choose the witnesses they trust; the log stores only ' +
        "cosignatures that verify over the checkpoint of checkpointSize with the witness key's time, one per " +
        'checkpoint and key (a newer one from the same key replaces it). Stored cosignatures are appended to the ' +
        'checkpoint served by GET /v1/log/checkpoint and in receipts. 201 when stored, 200 when the log already held ' +
        'one from this key; 422 for an invalid cosignature; 409 when another key with the same name and key ID ' +
        'cosigned first or the checkpoint carries the most cosignatures kept.',
      body: z.strictObject({
        witnessKey: z
          .string()
          .min(1)
          .max(1024)
          .describe("the witness's verifier key `name+keyid+base64`, signature type 0x04 (cosignature/v1)"),
        checkpointSize: decimal.describe('the tree size of the checkpoint cosigned (a published size)'),
        signature: z
          .string()
          .min(1)
          .max(4096)
          .describe('the signature line `— <name> <base64>` or only its base64 (key ID, 8-byte time, signature)'),
      }),
      response: {
        200: cosignatureSchema,
        201: cosignatureSchema,
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const { witnessKey, checkpointSize, signature } = request.body;
      const stored = await logOf().addCosignature({
        witnessKey: witnessKey.trim(),
        checkpointSize: BigInt(checkpointSize),
        signature,
      });
      return reply.code(stored.created ? 201 : 200).send(stored);
    },
  });

  r.get('/v1/log/key', {
    schema: {
      tags: ['log'],
      summary: "The log's origin and verifier key",
      response: { 200: z.object({ origin: z.string(), verifierKey: z.string() }), ...errorResponses },
    },
    handler: () => ({ origin: logOf().origin, verifierKey: logOf().verifierKey }),
  });

  r.get('/v1/log/entries', {
    schema: {
      tags: ['log'],
      summary: 'Log entries from index start, in order',
      querystring: z.strictObject({
        start: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      response: {
        200: z.object({
          items: list(z.object({ index: z.string(), eventId: z.string(), entry: z.string(), leafHash: z.string() })),
        }),
        ...errorResponses,
      },
    },
    handler: async (request) => ({ items: await logOf().entries(request.query.start, request.query.limit) }),
  });

  r.get('/v1/log/proofs/inclusion', {
    schema: {
      tags: ['log'],
      summary: 'Inclusion proof of entry index in the tree of treeSize entries (a published size)',
      querystring: z.strictObject({ index: decimal, treeSize: decimal }),
      response: {
        200: z.object({ index: z.string(), treeSize: z.string(), proof: list(z.string()) }),
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const { index, treeSize } = request.query;
      return { index, treeSize, proof: await logOf().inclusionProof(BigInt(index), BigInt(treeSize)) };
    },
  });

  r.get('/v1/log/proofs/consistency', {
    schema: {
      tags: ['log'],
      summary: 'Consistency proof between two published tree sizes',
      querystring: z.strictObject({ from: decimal, to: decimal }),
      response: { 200: z.object({ from: z.string(), to: z.string(), proof: list(z.string()) }), ...errorResponses },
    },
    handler: async (request) => {
      const { from, to } = request.query;
      return { from, to, proof: await logOf().consistencyProof(BigInt(from), BigInt(to)) };
    },
  });

  r.get('/v1/log/receipts', {
    schema: {
      tags: ['log'],
      summary:
        'Receipts for one event (eventId), or for every logged change of a subject (subjectType + subjectId, e.g. work)',
      querystring: z.strictObject({
        eventId: z.string().max(100).optional(),
        subjectType: z.enum(['work', 'organisation', 'dispute', 'mandate', 'rights-holder', 'account']).optional(),
        subjectId: z.string().max(100).optional(),
      }),
      response: { 200: z.object({ items: list(receiptSchema) }), ...errorResponses },
    },
    handler: async (request) => {
      const { eventId, subjectType, subjectId } = request.query;
      const log = logOf();
      if (eventId !== undefined) {
        const receipt = await log.receiptForEvent(eventId);
        if (!receipt) throw new ApiError('NOT_FOUND', `no event ${eventId}`);
        return { items: [receipt] };
      }
      if (subjectType === undefined || subjectId === undefined) {
        throw new ApiError('REQUEST_INVALID', 'give eventId, or subjectType and subjectId', [
          { path: 'querystring', message: 'missing' },
        ]);
      }
      return { items: await log.receiptsForSubject(subjectType, subjectId) };
    },
  });
}
