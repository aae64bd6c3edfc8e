// The throwaway cluster lives in postgres-cluster.ts, which the benchmarks import too.
export * from './postgres-cluster';
