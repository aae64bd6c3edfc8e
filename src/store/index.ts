export { openSqliteStore, migrate } from './sqlite';
export { StoreError } from './errors';
export { openPostgresStore, migratePostgres, type PostgresOptions } from './postgres';
export { describeDatabase } from './postgres-url';
export { MIGRATIONS } from './migrations';
export { POSTGRES_MIGRATIONS } from './postgres-migrations';
export type * from './types';
export type * from './status-types';
export { InvalidCursorError } from './cursor';
