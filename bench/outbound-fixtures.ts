/** 10,000 distinct recipients, the largest bulk job Switchboard accepts. */
export const RECIPIENTS: readonly string[] = Array.from({ length: 10_000 }, (_, i) => `+1555${String(1_000_000 + i).padStart(7, '0')}`);
export const BENCH_API_KEY = 'bench-api-key-0123456789abcdef';
