import fs from 'node:fs';
import path from 'node:path';

/** How far up to look for package.json: dist/routes and src/client are at most three levels down. */
const MAX_DEPTH = 4;

/**
 * Where `npm run build` puts the softphone (dist/public), found from the package root so that it
 * is the same folder whether this file runs from src (tests) or from dist (the server).
 */
export function defaultPhoneAssetsDir(from: string = __dirname): string {
  let dir = from;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'public');
    dir = path.dirname(dir);
  }
  return path.resolve(from, '..', '..', 'public');
}
