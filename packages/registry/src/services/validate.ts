import type { z } from 'zod';
import { RegistryError } from '../errors.js';

/** A JSON path for people: `identifiers[0].value`. */
export function formatPath(path: readonly PropertyKey[], root = '(root)'): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? root : out;
}

/** Parses untrusted input with a zod schema, or throws `VALIDATION_FAILED` listing every issue with its path. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  const first = issues[0];
  throw new RegistryError('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : 'invalid input', { issues });
}
