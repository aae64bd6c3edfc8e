export { openSqliteStore, migrate, StoreError } from './sqlite';
export { openPostgresStore, migratePostgres, type PostgresOptions } from './postgres';
export { describeDatabase } from './postgres-url';
export { MIGRATIONS } from './migrations';
export { POSTGRES_MIGRATIONS } from './postgres-migrations';
export type * from './types';
export type * from './status-types';
export { InvalidCursorError } from './cursor';
