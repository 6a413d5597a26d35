/**
 * The local notifier: each notice is appended as one JSON line to `<dir>/outbox.jsonl`, where
 * `GET /local/outbox` (infra/local) and anyone with a text editor can read it. What the petitioner
 * or the officer would have received, recipients included: a local folder only, never on AWS.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Notifier, type OutgoingNotice, UndeliverableNoticeError } from '#ports/notifications.ts';

export const OUTBOX_FILE = 'outbox.jsonl';

export interface OutboxEntry extends OutgoingNotice {
  readonly messageId: string;
  /** When it was "sent" (ISO 8601). */
  readonly sentAt: string;
}

export class OutboxNotifier implements Notifier {
  constructor(
    private readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(notice: OutgoingNotice): Promise<{ messageId: string; deliveredAt: string }> {
    // Like SES refusing an address for good: the reserved `.invalid` domain (RFC 2606) never delivers.
    if (notice.to.some((to) => to.toLowerCase().endsWith('.invalid'))) {
      throw new UndeliverableNoticeError('the outbox refuses addresses at .invalid');
    }
    const messageId = `outbox-${randomUUID()}`;
    const entry: OutboxEntry = { ...notice, to: [...notice.to], messageId, sentAt: this.now().toISOString() };
    mkdirSync(this.dir, { recursive: true });
    // One write per line (O_APPEND): concurrent senders in this process never interleave lines.
    appendFileSync(join(this.dir, OUTBOX_FILE), `${JSON.stringify(entry)}\n`, {
      encoding: 'utf8',
      mode: 0o600,
    });
    // The folder is the recipient's mailbox: delivered as it is written.
    return { messageId, deliveredAt: entry.sentAt };
  }
}

/** The notices in an outbox folder, oldest first (an absent folder is an empty outbox). */
export function readOutbox(dir: string): OutboxEntry[] {
  const file = join(dir, OUTBOX_FILE);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as OutboxEntry);
}
