/**
 * Staff addresses locally: symbolic recipients (`officer:MINTIC/<subject>`, `office:MINTIC/<office>`,
 * `supervisors:MINTIC`), which the local outbox records as they are (no user pool to ask).
 */
import type { StaffAudience } from '#domain/case/watch.ts';
import type { Directory } from '#ports/notifications.ts';

export class SymbolicDirectory implements Directory {
  async addresses(a: StaffAudience): Promise<string[]> {
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
