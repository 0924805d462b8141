import { timingSafeEqual } from 'node:crypto';
import type { Actor, Registry } from '@heoga/registry';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readCookie } from './cookies.js';
import { ApiError } from './problem.js';

/** The session cookie (HttpOnly) and the CSRF cookie the web app reads and echoes in `x-csrf-token`. */
export const SESSION_COOKIE = 'heoga_session';
export const CSRF_COOKIE = 'heoga_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking, when authenticated (API key in `Authorization: Bearer`, or the session cookie). */
    actor: Actor | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes that take no session: signing up and signing in ignore any cookie already there (no CSRF either). */
const SESSIONLESS_ROUTES = new Set(['POST /v1/accounts', 'POST /v1/sessions']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const BEARER = /^Bearer\s+(\S+)$/i;

function unknownKey(): ApiError {
  return new ApiError('UNAUTHENTICATED', 'the API key is unknown or revoked', [], { 'www-authenticate': 'Bearer' });
}

/**
 * Resolves the actor of every request. An API key wins over a cookie. Writes authenticated by the session cookie
 * must carry the session's CSRF token in `x-csrf-token` (double submit); API-key requests need none, since
 * browsers never attach them on their own.
 *
 * One synchronous `onRequest` hook, the first: it also sets `x-request-id` on the reply (so that every answer,
 * errors included, carries it without an onSend hook). It finishes without waiting whenever it can (an API key
 * this process resolved in the last `API_KEY_CACHE_MS`, or no credential at all) and waits for the database only
 * for a key it has not seen lately or a session cookie.
 *
 * @example
 * ```ts
 * const app = Fastify();
 * registerAuthentication(app, registry);
 * app.get('/me', (request) => actorOf(request).accountId);
 * ```
 */
export function registerAuthentication(app: FastifyInstance, registry: Registry): void {
  app.decorateRequest('actor', undefined);
  const accounts = registry.accounts;
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = BEARER.exec(authorization);
      if (!match) return done(unknownKey());
      const key = match[1]!;
      const cached = accounts.cachedApiKey(key);
      if (cached) {
        if (!cached.actor) return done(unknownKey());
        request.actor = cached.actor;
        return done();
      }
      accounts.findApiKey(key).then((actor) => {
        if (!actor) return done(unknownKey());
        request.actor = actor;
        done();
      }, done);
      return;
    }
    if (SESSIONLESS_ROUTES.has(`${request.method} ${request.routeOptions.url ?? ''}`)) return done();
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!token) return done();
    accounts.findSession(token).then((session) => {
      if (!session) return done();
      if (!SAFE_METHODS.has(request.method)) {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
          return done(
            new ApiError(
              'CSRF_FAILED',
              `writes made with the session cookie need the ${CSRF_HEADER} header from sign-in`,
            ),
          );
        }
      }
      request.actor = session.actor;
      done();
    }, done);
  });
}

/** The request's actor, or a 401. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) {
    throw new ApiError('UNAUTHENTICATED', 'sign in, or send an API key as Authorization: Bearer hg_…', [], {
      'www-authenticate': 'Bearer',
    });
  }
  return request.actor;
}
