// The spec index for tests: the sandbox's own, parsed once per test process.
import { locateTwilioSpec } from '../../src/sandbox/spec-file';
import { loadTwilioSpecFile, type TwilioSpecIndex } from '../../src/sandbox/spec-index';

export type { JsonSchema, PathMatch, QueryParam, SpecOperation, TwilioSpecIndex } from '../../src/sandbox/spec-index';
export { locateTwilioSpec };

let cached: TwilioSpecIndex | undefined;

/** The indexed spec; parsed on first use and shared by every fake server in the process. */
export function loadTwilioSpec(): TwilioSpecIndex {
  cached ??= loadTwilioSpecFile(locateTwilioSpec());
  return cached;
}
