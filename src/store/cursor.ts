/** A page cursor that is not one this store handed out (or was altered). */
export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

export interface CursorPosition {
  createdAt: string;
  sid: string;
}

/** Opaque to clients: the (created_at, sid) of the last row of a page, base64url JSON. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.sid]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(value) || value.length !== 2) throw new InvalidCursorError();
  const [createdAt, sid] = value as unknown[];
  if (typeof createdAt !== 'string' || typeof sid !== 'string' || Number.isNaN(Date.parse(createdAt))) {
    throw new InvalidCursorError();
  }
  return { createdAt, sid };
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Out-of-range sizes are clamped rather than refused: the API layer validates what users send. */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE_SIZE);
}
