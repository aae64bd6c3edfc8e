export { openSqliteStore, migrate, StoreError } from './sqlite';
export { MIGRATIONS } from './migrations';
export type * from './types';
export type { HistoryCursor, HistoryFilter, HistoryPage, HistoryStore, StatusEvent } from './sqlite-history';
