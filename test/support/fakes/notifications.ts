/**
 * The notification ports in memory (shared/ports/notifications.ts):
 *  - InMemoryNoticeStore: alerts put once (false when one exists), notice marks claimed before a
 *    send (`claimed` with no mark, a pending one or a `sending` claim older than `staleBefore`;
 *    `done` once sent or skipped; `busy` while a fresh claim is held), completed (a skip only over
 *    no mark, a pending one or its own claim; a send over anything) and released to pending (only
 *    by the claim's token). Audit events are read from the case store, as they live in the same
 *    table; an event or alert that asks for a notice has a pending mark until it is handled, as
 *    the DynamoDB store writes one in the same transaction (the notice outbox, `unnotified`);
 *  - RecordingNotifier: keeps what was sent; can be told to refuse the next sends;
 *  - FakeDirectory: symbolic addresses per audience, or none for an audience the test empties.
 */
import type { AuditEvent } from '#domain/case/audit.ts';
import type { CaseAlert, StaffAudience } from '#domain/case/watch.ts';
import type { NoticeFailure } from '#domain/channels.ts';
import { ALERT_ITEM_TYPE, isNotifiedType } from '#domain/noticeTypes.ts';
import type {
  ClaimOutcome,
  Directory,
  EventNoticeMark,
  NoticeCompletion,
  NoticeMark,
  NoticeStore,
  Notifier,
  OutgoingNotice,
} from '#ports/notifications.ts';
import type { InMemoryCaseStore } from './caseStore.ts';

const copy = <T>(value: T): T => structuredClone(value);
const at = (radicado: string, sk: string) => `${radicado}|${sk}`;

type StoredMark = NoticeMark & { token?: string };

export class InMemoryNoticeStore implements NoticeStore {
  private readonly alerts = new Map<string, CaseAlert>();
  private readonly marks = new Map<string, StoredMark>();
  private failComplete = false;

  constructor(private readonly cases: InMemoryCaseStore) {}

  async eventMarks(radicado: string): Promise<EventNoticeMark[]> {
    const prefix = at(radicado, 'EVENT#');
    return [...this.marks]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, stored]) => {
        const { token: _token, ...mark } = stored;
        return { seq: Number(key.slice(prefix.length)), mark: copy(mark) };
      })
      .sort((a, b) => a.seq - b.seq);
  }

  async event(radicado: string, seq: number): Promise<AuditEvent | undefined> {
    return (await this.cases.events(radicado)).find((e) => e.seq === seq);
  }

  async alert(radicado: string, sk: string): Promise<CaseAlert | undefined> {
    const found = this.alerts.get(at(radicado, sk));
    return found ? copy(found) : undefined;
  }

  async existingAlerts(keys: readonly { radicado: string; sk: string }[]): Promise<Set<string>> {
    return new Set(keys.map((k) => at(k.radicado, k.sk)).filter((k) => this.alerts.has(k)));
  }

  async putAlert(alert: CaseAlert, sk: string): Promise<boolean> {
    const key = at(alert.radicado, sk);
    if (this.alerts.has(key)) return false;
    this.alerts.set(key, copy(alert));
    this.marks.set(key, { state: 'pending', kind: ALERT_ITEM_TYPE, at: alert.at });
    return true;
  }

  async unnotified(before: string, limit: number): Promise<{ radicado: string; sk: string }[]> {
    for (const record of this.cases.all()) {
      for (const e of await this.cases.events(record.radicado)) {
        const sk = `EVENT#${String(e.seq).padStart(6, '0')}`;
        if (isNotifiedType(e.type) && !this.marks.has(at(e.radicado, sk))) {
          this.marks.set(at(e.radicado, sk), { state: 'pending', kind: e.type, at: e.at });
        }
      }
    }
    return [...this.marks]
      .filter(
        ([, m]) => (m.state === 'pending' || m.state === 'sending') && Date.parse(m.at) < Date.parse(before),
      )
      .sort(([, a], [, b]) => Date.parse(a.at) - Date.parse(b.at))
      .slice(0, limit)
      .map(([key]) => {
        const [radicado, sk] = key.split('|') as [string, string];
        return { radicado, sk };
      });
  }

  async mark(radicado: string, sourceSk: string): Promise<NoticeMark | undefined> {
    const found = this.marks.get(at(radicado, sourceSk)) ?? (await this.pendingOf(radicado, sourceSk));
    return found ? copy(found) : undefined;
  }

  /** The pending mark an unhandled notified event has (written with it, in DynamoDB). */
  private async pendingOf(radicado: string, sourceSk: string): Promise<StoredMark | undefined> {
    if (!sourceSk.startsWith('EVENT#')) return undefined;
    const e = await this.event(radicado, Number(sourceSk.slice('EVENT#'.length)));
    return e && isNotifiedType(e.type) ? { state: 'pending', kind: e.type, at: e.at } : undefined;
  }

  async claim(
    radicado: string,
    sourceSk: string,
    claim: {
      token: string;
      kind: string;
      at: string;
      staleBefore: string;
      failures?: readonly NoticeFailure[] | undefined;
    },
  ): Promise<ClaimOutcome> {
    const key = at(radicado, sourceSk);
    const existing = this.marks.get(key);
    if (
      existing === undefined ||
      existing.state === 'pending' ||
      (existing.state === 'sending' && existing.at < claim.staleBefore)
    ) {
      this.marks.set(key, {
        state: 'sending',
        kind: claim.kind,
        at: claim.at,
        token: claim.token,
        ...(claim.failures?.length ? { failures: copy(claim.failures) } : {}),
      });
      return 'claimed';
    }
    return existing.state === 'sending' ? 'busy' : 'done';
  }

  async complete(radicado: string, sourceSk: string, mark: NoticeCompletion): Promise<void> {
    if (this.failComplete) {
      this.failComplete = false;
      throw new Error('the process died after delivering');
    }
    const key = at(radicado, sourceSk);
    const existing = this.marks.get(key);
    const { token, ...fields } = mark;
    if (
      mark.state === 'skipped' &&
      existing !== undefined &&
      existing.state !== 'pending' &&
      (token === undefined || existing.token !== token)
    ) {
      return; // a skip is recorded once, over nothing, a pending mark or its own claim
    }
    this.marks.set(key, copy(fields));
  }

  async release(
    radicado: string,
    sourceSk: string,
    token: string,
    pending: { kind: string; at: string; failures?: readonly NoticeFailure[] | undefined },
  ): Promise<void> {
    const key = at(radicado, sourceSk);
    const existing = this.marks.get(key);
    if (existing?.state === 'sending' && existing.token === token) {
      const { failures, ...rest } = pending;
      this.marks.set(key, {
        state: 'pending',
        ...rest,
        ...(failures?.length ? { failures: copy(failures) } : {}),
      });
    }
  }

  async delivered(
    radicado: string,
    sourceSk: string,
    report: { messageId: string; at: string },
  ): Promise<boolean> {
    const key = at(radicado, sourceSk);
    const existing = this.marks.get(key);
    if (
      existing?.state !== 'sent' ||
      !(existing.messageId ?? '').includes(report.messageId) ||
      existing.deliveredAt !== undefined
    )
      return false;
    this.marks.set(key, { ...existing, deliveredAt: report.at });
    return true;
  }

  async failed(
    radicado: string,
    sourceSk: string,
    failure: NoticeFailure,
    held: { token: string } | { messageId: string },
  ): Promise<boolean> {
    const key = at(radicado, sourceSk);
    const existing = this.marks.get(key);
    const holds =
      'token' in held
        ? existing?.state === 'sending' && existing.token === held.token
        : existing?.state === 'sent' &&
          existing.channel === failure.channel &&
          (existing.messageId ?? '').includes(held.messageId);
    if (!holds || existing === undefined) return false;
    this.marks.set(key, {
      state: 'pending',
      kind: existing.kind,
      at: failure.at,
      failures: [...(existing.failures ?? []), { channel: failure.channel, at: failure.at }],
    });
    return true;
  }

  // -- For tests ---------------------------------------------------------------------------------

  /** Every alert recorded, in key order. */
  allAlerts(): CaseAlert[] {
    return [...this.alerts.keys()].sort().map((k) => copy(this.alerts.get(k)!));
  }

  /** The next `complete` fails: a process dying after it delivered, before it recorded so. */
  failNextComplete(): void {
    this.failComplete = true;
  }

  /** Puts a mark as it is (a claim left by an attempt that died, say). */
  putMark(radicado: string, sourceSk: string, mark: StoredMark): void {
    this.marks.set(at(radicado, sourceSk), copy(mark));
  }
}

export class RecordingNotifier implements Notifier {
  readonly sent: OutgoingNotice[] = [];
  private failures: Error[] = [];
  private count = 0;

  /** The next send throws this (nothing is sent). */
  failNext(error: Error): void {
    this.failures.push(error);
  }

  async send(notice: OutgoingNotice): Promise<{ messageId: string }> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(copy(notice));
    this.count += 1;
    return { messageId: `message-${this.count}` };
  }
}

export class FakeDirectory implements Directory {
  private readonly empty = new Set<StaffAudience['kind']>();

  /** Nobody is in audiences of this kind from now on. */
  emptyAudience(kind: StaffAudience['kind']): void {
    this.empty.add(kind);
  }

  async addresses(a: StaffAudience): Promise<string[]> {
    if (this.empty.has(a.kind)) return [];
    switch (a.kind) {
      case 'officer':
        return [`officer:${a.entityId}/${a.subject}`];
      case 'office':
        return [`office:${a.entityId}/${a.office}`];
      case 'supervisors':
        return [`supervisors:${a.entityId}`];
    }
  }
}
