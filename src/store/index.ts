export { openSqliteStore, migrate, StoreError, type SqliteStoreOptions } from './sqlite';
export { openStore } from './open';
export { MIGRATIONS } from './migrations';
export { PRUNABLE_HISTORY } from './types';
export type * from './types';
export type * from './status-types';
export { DEFAULT_PAGE_SIZE, InvalidCursorError, MAX_PAGE_SIZE } from './cursor';
