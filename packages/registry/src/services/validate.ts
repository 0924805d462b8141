import { formatIssuePath } from '@heoga/core';
import type { z } from 'zod';
import { RegistryError } from '../errors.js';

/** Parses untrusted input with a zod schema, or throws `VALIDATION_FAILED` listing every issue with its path. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
  const first = issues[0];
  throw new RegistryError('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : 'invalid input', { issues });
}
