export { openSqliteStore, migrate, StoreError } from './sqlite';
export { openStore } from './open';
export { MIGRATIONS } from './migrations';
export type * from './types';
export type * from './status-types';
export { DEFAULT_PAGE_SIZE, InvalidCursorError, MAX_PAGE_SIZE } from './cursor';
