/** Shared imports for the clock tests. */
import { TERM_CLASSES } from '#domain/vocabulary.ts';

export * from '#domain/clock/index.ts';
export const TERM_CLASSES_FOR_TESTS = TERM_CLASSES;
