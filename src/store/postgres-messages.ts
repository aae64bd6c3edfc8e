import type { Pool } from 'pg';
import type { Clock } from '../clock';
import type { PgGroupCommit } from './postgres-commit';
import { toMessageRecord, type MessageRow } from './sqlite-messages';
import type { MessageStore } from './types';

export function postgresMessageStore(pool: Pool, clock: Clock, writes: PgGroupCommit): MessageStore {
  return {
    async recordInboundMessage(message) {
      const values = [message.sid, message.from, message.to, message.body, message.mediaUrls.length, JSON.stringify(message.mediaUrls), clock.now().toISOString()];
      await writes.statement(
        `INSERT INTO messages (sid, direction, from_number, to_number, body, num_media, media_urls, status, created_at, updated_at)
         VALUES ($1, 'inbound', $2, $3, $4, $5, $6, 'received', $7, $7)
         ON CONFLICT (sid) DO NOTHING`,
        values,
      );
    },
    async getMessage(sid) {
      const { rows } = await pool.query<MessageRow>('SELECT * FROM messages WHERE sid = $1', [sid]);
      return rows[0] && toMessageRecord(rows[0]);
    },
  };
}
