/**
 * The advisory locks Switchboard takes, in the two-key form (a key space of its own, apart from
 * single-key locks an application sharing the database may use): one class, and a key per use.
 */
export const LOCK_CLASS = 0x5357_4254;
/**
 * Held by the transaction that rolls up the chart deltas (postgres-chart-rollup.ts). Below
 * INSTANCE_KEY_BASE, so that LIVE_INSTANCES never takes it for an instance.
 */
export const CHART_ROLLUP_KEY = 0;
/** Held while an instance migrates the schema. */
export const MIGRATION_KEY = 1;
/** Held by the instance that sends bulk jobs. */
export const BULK_SENDER_KEY = 2;
/** Instance n holds key INSTANCE_KEY_BASE + n while it runs. */
export const INSTANCE_KEY_BASE = 3;
