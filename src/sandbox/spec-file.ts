import fs from 'node:fs';
import path from 'node:path';

const SPEC_FILE = path.join('src', 'sandbox', 'twilio-api-v2010.json');

/** How far up to look for package.json: this file sits at most three levels below the root (dist/src/sandbox). */
const MAX_DEPTH = 4;

/**
 * The committed part of Twilio's OpenAPI spec (scripts/trim-twilio-spec.js writes it), found from
 * the package root so that it is the same file whether this runs from src (tests) or from dist.
 */
export function bundledTwilioSpec(from: string = __dirname): string {
  let dir = from;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, SPEC_FILE);
    dir = path.dirname(dir);
  }
  return path.join(from, path.basename(SPEC_FILE));
}

export class TwilioSpecNotFoundError extends Error {
  constructor(readonly file: string, readonly fromEnv: boolean) {
    super(
      fromEnv
        ? `TWILIO_OAI_SPEC points at a missing file: ${file}`
        : `Twilio's OpenAPI spec is missing at ${file}; it is part of the repository (regenerate it with scripts/trim-twilio-spec.js)`,
    );
    this.name = 'TwilioSpecNotFoundError';
  }
}

/** `TWILIO_OAI_SPEC` may point at a full copy of Twilio's spec; otherwise the committed part is used. */
export function locateTwilioSpec(env: NodeJS.ProcessEnv = process.env, bundled: string = bundledTwilioSpec()): string {
  const override = env.TWILIO_OAI_SPEC;
  const file = override !== undefined && override !== '' ? override : bundled;
  if (!fs.existsSync(file)) throw new TwilioSpecNotFoundError(file, file === override);
  return file;
}
