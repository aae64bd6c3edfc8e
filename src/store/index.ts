export { openSqliteStore, migrate, StoreError } from './sqlite';
export { openPostgresStore, migratePostgres, describeDatabase, type PostgresOptions } from './postgres';
export { MIGRATIONS } from './migrations';
export { POSTGRES_MIGRATIONS } from './postgres-migrations';
export type * from './types';
export type * from './status-types';
export { InvalidCursorError } from './cursor';
