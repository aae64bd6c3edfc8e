// Summaries of a handful of rounds. A median with its interquartile range says how far the middle
// half of the rounds spread: a median alone hides that two runs of the same build can disagree by
// more than the effect being measured.

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * The `q` quantile (0 to 1) by linear interpolation between the sorted values (the method of R's
 * default, type 7, and numpy's): with 10 rounds the quartiles fall between rounds.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('no values');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.ceil(at);
  return (sorted[below] as number) + ((sorted[above] as number) - (sorted[below] as number)) * (at - below);
}

export interface Spread {
  median: number;
  /** First and third quartile: the middle half of the values lies between them. */
  q1: number;
  q3: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  return {
    median: median(values),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
    min: quantile(values, 0),
    max: quantile(values, 1),
  };
}

/** `a[i] / b[i]` for rounds that ran in the same turn, so that both saw the machine's same moment. */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new Error(`unpaired rounds: ${a.length} and ${b.length}`);
  return a.map((value, i) => value / (b[i] as number));
}
