import type Database from 'better-sqlite3';
import type { Clock } from '../clock';
import type { GroupCommit } from './group-commit';
import type { MessageRecord, MessageStore } from './types';

export interface MessageRow {
  sid: string;
  direction: MessageRecord['direction'];
  from_number: string;
  to_number: string;
  body: string;
  num_media: number;
  media_urls: string;
  status: string;
  error_code: number | null;
  price: string | null;
  price_unit: string | null;
  created_at: string;
  updated_at: string;
}

export function toMessageRecord(row: MessageRow): MessageRecord {
  return {
    sid: row.sid,
    direction: row.direction,
    from: row.from_number,
    to: row.to_number,
    body: row.body,
    numMedia: row.num_media,
    mediaUrls: JSON.parse(row.media_urls) as string[],
    status: row.status,
    errorCode: row.error_code,
    price: row.price,
    priceUnit: row.price_unit,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function sqliteMessageStore(db: Database.Database, clock: Clock, writes: GroupCommit): MessageStore {
  const insert = db.prepare(
    `INSERT INTO messages (sid, direction, from_number, to_number, body, num_media, media_urls, status, created_at, updated_at)
     VALUES (@sid, 'inbound', @from, @to, @body, @numMedia, @mediaUrls, 'received', @now, @now)
     ON CONFLICT (sid) DO NOTHING`,
  );
  const get = db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE sid = ?');
  return {
    async recordInboundMessage(message) {
      const row = {
        sid: message.sid,
        from: message.from,
        to: message.to,
        body: message.body,
        numMedia: message.mediaUrls.length,
        mediaUrls: JSON.stringify(message.mediaUrls),
        now: clock.now().toISOString(),
      };
      await writes.run(() => insert.run(row));
    },
    async getMessage(sid) {
      const row = get.get(sid);
      return row && toMessageRecord(row);
    },
  };
}
