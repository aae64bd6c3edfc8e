/**
 * The order of a resource's statuses. Statuses of equal rank are alternatives at the same point
 * of its life (`queued`/`initiated`); a final status is never left.
 */
export interface StatusOrder {
  readonly ranks: ReadonlyMap<string, number>;
  readonly final: ReadonlySet<string>;
}

export interface StatusPosition {
  status: string;
  sequence: number | null;
}

/**
 * Whether an event may replace the current status. Twilio delivers callbacks out of order, so
 * only a later point in the resource's life wins; at equal rank only a higher SequenceNumber.
 * A status missing from the table (Twilio adds some now and then) never replaces a known one.
 */
export function advances(order: StatusOrder, current: StatusPosition, event: StatusPosition): boolean {
  const eventRank = order.ranks.get(event.status);
  if (eventRank === undefined || order.final.has(current.status)) return false;
  const currentRank = order.ranks.get(current.status);
  if (currentRank === undefined || eventRank > currentRank) return true;
  if (eventRank < currentRank) return false;
  return event.sequence !== null && (current.sequence === null || event.sequence > current.sequence);
}

/** An event that moves the status may correct a field; a stale one only fills gaps. */
export function mergeField<T>(current: T | null, incoming: T | null, advanced: boolean): T | null {
  return advanced ? (incoming ?? current) : (current ?? incoming);
}

export function rankTable(groups: ReadonlyArray<readonly string[]>): ReadonlyMap<string, number> {
  const ranks = new Map<string, number>();
  groups.forEach((statuses, rank) => statuses.forEach((status) => ranks.set(status, rank)));
  return ranks;
}

export interface Transition<S> {
  state: S;
  statusApplied: boolean;
  /** Whether any column differs, i.e. whether the row needs writing. */
  changed: boolean;
}

export function sameFields<S extends object>(a: S, b: S): boolean {
  return (Object.keys(a) as Array<keyof S>).every((key) => a[key] === b[key]);
}
