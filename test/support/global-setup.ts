import { VECTORS_AVAILABLE, VECTORS_NOTICE } from '../../packages/core/test/vectors.js';
import { missingServiceNotices, testServices } from './services.js';

/** Runs once per test run: one line for each service whose tests will be skipped, and how to enable them. */
export default function globalSetup(): void {
  for (const notice of missingServiceNotices(testServices())) console.warn(`notice: ${notice}`);
  if (!VECTORS_AVAILABLE) console.warn(`notice: ${VECTORS_NOTICE}`);
}
