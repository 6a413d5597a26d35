/** A MessageQueue that keeps what was sent, in order, and can be told to refuse the next send. */
import type { MessageQueue } from '#ports/index.ts';

export class RecordingQueue<T> implements MessageQueue<T> {
  readonly messages: T[] = [];
  private failures: Error[] = [];

  /** The next send throws this (and sends nothing, like SQS refusing a batch). */
  failNext(error: Error): void {
    this.failures.push(error);
  }

  async send(messages: readonly T[]): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.messages.push(...structuredClone(messages));
  }
}
