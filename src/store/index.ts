export { openSqliteStore, migrate, StoreError, type SqliteStoreOptions } from './sqlite';
export { MIGRATIONS } from './migrations';
export { PRUNABLE_HISTORY } from './types';
export type * from './types';
export type * from './status-types';
export { InvalidCursorError } from './cursor';
