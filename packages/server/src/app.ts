import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { Registry } from '@heoga/registry';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerAuthentication } from './auth.js';
import type { ServerConfig } from './config.js';
import { ApiError, sendProblem } from './problem.js';
import { registerRateLimit } from './rate-limit.js';
import { lazyChildLoggerFactory } from './request-logger.js';
import { accountRoutes } from './routes/accounts.js';
import { checkRoutes } from './routes/check.js';
import { logRoutes } from './routes/log.js';
import { indexSnapshotRoutes } from './routes/index-snapshot.js';
import { organisationRoutes } from './routes/organisations.js';
import { workRoutes } from './routes/works.js';
import { VERSION } from './version.js';

/** The largest JSON body accepted (1 MiB): a check with 1,000 items fits comfortably. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** What buildApp needs. */
export interface AppOptions {
  readonly registry: Registry;
  readonly config: ServerConfig;
  /** pino logger options, or false for none (tests). */
  readonly logger?: boolean | { level: string };
}

/**
 * Builds the HTTP API (Fastify) without listening, so tests drive it in-process with `app.inject()`.
 *
 * @example
 * ```ts
 * const app = await buildApp({ registry, config });
 * const res = await app.inject({ method: 'GET', url: '/healthz' });
 * ```
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { registry, config } = options;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: JSON_BODY_LIMIT,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
    // The request's child logger is made only when it logs (errors, or request logs at `info`).
    childLoggerFactory: lazyChildLoggerFactory,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      new ApiError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
      request,
      reply,
    ),
  );
  // JSON only (Fastify also parses text/plain by default, which would answer 400 instead of 415).
  app.removeContentTypeParser('text/plain');
  // Catalogs arrive as CSV or JSON Lines, read whole as bytes, at the import route only (its own bodyLimit is
  // IMPORT_BODY_LIMIT). Elsewhere they are a 415 after at most JSON_BODY_LIMIT bytes: a Buffer reaching a JSON
  // schema would be answered with every byte index as an "unrecognized key" (CPU, memory and a huge response).
  app.addContentTypeParser(
    ['text/csv', 'application/x-ndjson', 'application/jsonl'],
    { parseAs: 'buffer' },
    (request, body, done) => {
      if (request.routeOptions.url === '/v1/organisations/:id/imports') done(null, body);
      else done(new ApiError('UNSUPPORTED_MEDIA_TYPE', 'catalogs go to POST /v1/organisations/{id}/imports'));
    },
  );

  // Sets x-request-id on every reply too (first, so that no onSend hook has to run on every response).
  registerAuthentication(app, registry);
  // In memory and synchronous (a counter per key, no promise per request), in the place @fastify/rate-limit had,
  // with its headers and answers.
  registerRateLimit(app, {
    // Counted as soon as the caller is known (after authentication), before any parsing or validation work.
    timeWindowMs: 60_000,
    keyGenerator: (request) =>
      request.actor ? `${request.actor.credentialId ?? `account:${request.actor.accountId}`}` : `ip:${request.ip}`,
    max: (request) => (request.actor ? config.rateLimitPerMinute : config.rateLimitAnonymousPerMinute),
    errorResponseBuilder: (_request, context) => {
      const error = new ApiError('RATE_LIMITED', `limit of ${context.max} requests per ${context.after} reached`, [], {
        'retry-after': String(Math.ceil(context.ttl / 1000)),
      });
      return Object.assign(error, { statusCode: 429 });
    },
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'heoga API',
        version: VERSION,
        description:
          'heoga (허가): a permission-first clearinghouse for AI training data. Errors are RFC 9457 problem+json with a stable `code`. ' +
          'Authenticate with an API key (`Authorization: Bearer hg_…`) or the session cookie from POST /v1/sessions; cookie writes need `x-csrf-token`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'an API key from POST /v1/api-keys' },
          session: { type: 'apiKey', in: 'cookie', name: 'heoga_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.get(
    '/healthz',
    { schema: { hide: true, response: { 200: z.object({ status: z.literal('ok'), version: z.string() }) } } as never },
    async () => {
      await registry.database.db.selectFrom('accounts').select('id').limit(1).execute();
      return { status: 'ok' as const, version: VERSION };
    },
  );
  app.get('/openapi.json', { schema: { hide: true } as never }, () => app.swagger());
  app.get('/', { schema: { hide: true } as never }, (_request, reply) => reply.redirect('/docs'));

  accountRoutes(app, registry, config);
  organisationRoutes(app, registry);
  workRoutes(app, registry);
  checkRoutes(app, registry);
  logRoutes(app, registry);
  indexSnapshotRoutes(app, registry, config);
  return app;
}
