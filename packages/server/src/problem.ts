import { CoreError, InvalidInputError } from '@heoga/core';
import { RegistryError, type RegistryErrorCode } from '@heoga/registry';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

/**
 * Every error code the HTTP API answers with, in RFC 9457 problem+json (`code` member). Stable: clients switch on
 * them. docs/api.md lists them with their statuses.
 */
export type ApiErrorCode =
  | RegistryErrorCode
  | 'REQUEST_INVALID'
  | 'CSRF_FAILED'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'ROUTE_NOT_FOUND'
  | 'NOT_MODIFIED'
  | 'INTERNAL';

/** HTTP status and fixed title of each code. */
export const PROBLEMS: { readonly [C in ApiErrorCode]: { readonly status: number; readonly title: string } } = {
  REQUEST_INVALID: { status: 400, title: 'The request does not match the API schema' },
  VALIDATION_FAILED: { status: 422, title: 'The input is not valid' },
  IMPORT_REJECTED: { status: 422, title: 'The catalog has invalid rows; nothing was imported' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  CSRF_FAILED: { status: 403, title: 'Missing or wrong CSRF token' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  EMAIL_TAKEN: { status: 409, title: 'The email is already registered' },
  CONFLICT: { status: 409, title: 'Conflict with the current state' },
  VERSION_MISMATCH: { status: 412, title: 'The resource changed since you read it' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  NOT_MODIFIED: { status: 304, title: 'Not modified' },
  STORAGE_FAILED: { status: 503, title: 'Storage is unavailable' },
  INTERNAL: { status: 500, title: 'Internal server error' },
};

/** An error the routes raise to answer with a given code. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly errors: readonly { path: string; message: string }[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The problem+json body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ApiErrorCode;
  detail?: string;
  instance: string;
  requestId: string;
  errors?: { path: string; message: string }[];
}

function classify(error: unknown): {
  code: ApiErrorCode;
  detail?: string;
  errors?: { path: string; message: string }[];
  headers?: Record<string, string>;
} {
  if (error instanceof ApiError)
    return { code: error.code, detail: error.message, errors: [...error.errors], headers: { ...error.headers } };
  if (error instanceof RegistryError) {
    return {
      code: error.code,
      detail: error.message,
      ...(error.issues.length > 0 ? { errors: [...error.issues] } : {}),
    };
  }
  if (error instanceof InvalidInputError)
    return { code: 'VALIDATION_FAILED', detail: error.message, errors: [...error.issues] };
  if (error instanceof CoreError) return { code: 'VALIDATION_FAILED', detail: error.message };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const ctx = (error as { validationContext?: string }).validationContext ?? 'body';
    return {
      code: 'REQUEST_INVALID',
      detail: `the ${ctx} does not match the schema`,
      errors: error.validation.map((v) => ({
        path: [
          ctx,
          ...String(v.instancePath ?? '')
            .split('/')
            .filter(Boolean),
        ].join('.'),
        message: v.message ?? 'invalid',
      })),
    };
  }
  if (isResponseSerializationError(error)) return { code: 'INTERNAL' };
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'PAYLOAD_TOO_LARGE', detail: 'the body exceeds the limit for this route' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'send application/json (or the catalog types for imports)' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'REQUEST_INVALID', detail: 'the body is not valid JSON' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'REQUEST_INVALID', detail: 'the body is empty or its length is wrong' };
    case undefined:
    default:
      break;
  }
  if (fastifyError.statusCode === 400 && fastifyError instanceof SyntaxError)
    return { code: 'REQUEST_INVALID', detail: 'the body is not valid JSON' };
  if (fastifyError.statusCode === 429)
    return { code: 'RATE_LIMITED', detail: 'slow down and retry after the time in Retry-After' };
  if (fastifyError.validation) {
    return {
      code: 'REQUEST_INVALID',
      detail: 'the request does not match the schema',
      errors: fastifyError.validation.map((v) => ({
        path: v.instancePath || '(root)',
        message: v.message ?? 'invalid',
      })),
    };
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { code: 'REQUEST_INVALID', detail: 'the request could not be read' };
  }
  return { code: 'INTERNAL' };
}

/**
 * The one error handler: maps typed errors to problem+json with our stable `code`; anything unexpected becomes a
 * generic 500 whose message never reaches the client (it is logged with the request id).
 */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { code, detail, errors, headers } = classify(error);
  const { status, title } = PROBLEMS[code];
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  const body: Problem = {
    type: `https://heoga.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status,
    code,
    ...(status < 500 && detail ? { detail } : {}),
    instance: request.url.split('?')[0] ?? request.url,
    requestId: request.id,
    ...(errors && errors.length > 0 ? { errors: errors.slice(0, 100) } : {}),
  };
  for (const [name, value] of Object.entries(headers ?? {})) void reply.header(name, value);
  return reply.status(status).type('application/problem+json').serializer(JSON.stringify).send(body);
}
