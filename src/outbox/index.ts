export { Outbox, INTERRUPTED_MESSAGE, type OutboxOptions } from './outbox';
export type { ApiReply } from './replies';
export { checkIdempotencyKey, IDEMPOTENCY_WINDOW_MS } from './idempotency';
