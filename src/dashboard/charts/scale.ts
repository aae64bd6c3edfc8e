/** Integer gridline steps of 1, 2 or 5 × 10ⁿ, at most `maxSteps` of them, covering `max`. */
export function niceTicks(max: number, maxSteps = 4): number[] {
  if (max <= 0) return [0, 1];
  let step = 1;
  for (let magnitude = 1; ; magnitude *= 10) {
    const found = [1, 2, 5].map((m) => m * magnitude).find((s) => Math.ceil(max / s) <= maxSteps);
    if (found !== undefined) {
      step = found;
      break;
    }
  }
  const steps = Math.ceil(max / step);
  return Array.from({ length: steps + 1 }, (_v, i) => i * step);
}

/** A number with thousands separators, as the tables show it. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
