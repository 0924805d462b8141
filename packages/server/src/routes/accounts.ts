import { SESSION_TTL_MS, type Registry } from '@heoga/registry';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, CSRF_COOKIE, SESSION_COOKIE } from '../auth.js';
import { readCookie, setCookieLine } from '../cookies.js';
import type { ServerConfig } from '../config.js';
import {
  accountSchema,
  apiKeyBody,
  apiKeyInfoSchema,
  errorResponses,
  idParams,
  newApiKeySchema,
  sessionSchema,
  signInBody,
  signUpBody,
  list,
} from '../schemas.js';

/** Accounts, sign-in with a session cookie, and API keys. */
export function accountRoutes(app: FastifyInstance, registry: Registry, config: ServerConfig): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const maxAge = SESSION_TTL_MS / 1000;

  r.post('/v1/accounts', {
    schema: {
      tags: ['accounts'],
      summary: 'Sign up (creator, organisation admin or developer)',
      body: signUpBody,
      response: { 201: accountSchema, ...errorResponses },
    },
    config: { rateLimit: { max: 20, timeWindowMs: 60_000, keyGenerator: (req) => `signup:${req.ip}` } },
    handler: async (request, reply) => {
      const account = await registry.accounts.signUp(request.body);
      return reply.status(201).send(account);
    },
  });

  r.post('/v1/sessions', {
    schema: {
      tags: ['accounts'],
      summary: 'Sign in: sets the session cookie and returns the CSRF token for writes',
      body: signInBody,
      response: { 201: sessionSchema, ...errorResponses },
    },
    config: { rateLimit: { max: 10, timeWindowMs: 60_000, keyGenerator: (req) => `signin:${req.ip}` } },
    handler: async (request, reply) => {
      const session = await registry.accounts.signIn(request.body.email, request.body.password);
      void reply.header('set-cookie', [
        setCookieLine(SESSION_COOKIE, session.token, { httpOnly: true, secure: config.secureCookies, maxAge }),
        setCookieLine(CSRF_COOKIE, session.csrfToken, { httpOnly: false, secure: config.secureCookies, maxAge }),
      ]);
      return reply
        .status(201)
        .send({ account: session.account, csrfToken: session.csrfToken, expiresAt: session.expiresAt });
    },
  });

  r.delete('/v1/sessions/current', {
    schema: { tags: ['accounts'], summary: 'Sign out', response: { 204: z.null(), ...errorResponses } },
    handler: async (request, reply) => {
      actorOf(request);
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (token) await registry.accounts.signOut(token);
      void reply.header('set-cookie', [
        setCookieLine(SESSION_COOKIE, '', { httpOnly: true, secure: config.secureCookies, maxAge: 0 }),
        setCookieLine(CSRF_COOKIE, '', { httpOnly: false, secure: config.secureCookies, maxAge: 0 }),
      ]);
      return reply.status(204).send(null);
    },
  });

  r.get('/v1/me', {
    schema: {
      tags: ['accounts'],
      summary: 'The signed-in account',
      response: { 200: accountSchema, ...errorResponses },
    },
    handler: async (request) => {
      const actor = actorOf(request);
      const account = await registry.accounts.findAccount(actor.accountId);
      if (!account) throw new Error('the actor has no account');
      return account;
    },
  });

  r.post('/v1/api-keys', {
    schema: {
      tags: ['api keys'],
      summary: 'Create an API key (shown once)',
      body: apiKeyBody,
      response: { 201: newApiKeySchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await registry.accounts.createApiKey(actorOf(request), request.body)),
  });

  r.get('/v1/api-keys', {
    schema: {
      tags: ['api keys'],
      summary: 'Your API keys (never the keys themselves)',
      response: { 200: z.object({ items: list(apiKeyInfoSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await registry.accounts.listApiKeys(actorOf(request)) }),
  });

  r.delete('/v1/api-keys/:id', {
    schema: {
      tags: ['api keys'],
      summary: 'Revoke an API key',
      params: idParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await registry.accounts.revokeApiKey(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  });
}
