/** In-memory ports for unit tests: no I/O, each honouring its port's documented contract. */
export { InMemoryCaseStore, type Rejection } from './caseStore.ts';
export { InMemoryCitizens } from './citizens.ts';
export { SettableClock } from './clock.ts';
export { InMemoryUploads } from './documents.ts';
export { InMemoryEntityStore } from './entityStore.ts';
export { InMemoryRateLimiter } from './limits.ts';
export { FakeDirectory, InMemoryNoticeStore, RecordingNotifier } from './notifications.ts';
export {
  InMemoryCampaignGroupStore,
  InMemoryCommentStore,
  InMemoryConsultationCounters,
  InMemoryConsultationStore,
} from './participation.ts';
export { InMemoryProposalStore } from './proposalStore.ts';
export { systemPseudonyms, testPseudonyms } from './pseudonyms.ts';
export { InMemoryPublicationStore } from './publications.ts';
export { RecordingQueue } from './queue.ts';
export { InMemoryReportCounters } from './reports.ts';
export { newSigningKey, testSigner } from './signer.ts';
