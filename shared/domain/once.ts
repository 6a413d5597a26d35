/**
 * A value made at its first use and kept: the functions' adapters (functions/deps.ts), work done
 * once however often it is asked for (a filing's documents).
 *
 * Marked free of side effects for the bundler: an adapter a function never asks for (its `once`
 * unused) is left out of that function's bundle with what only it imports (the SQS client in
 * FileCase, the participation stores in the case functions), which shortens the cold start.
 * Why: docs/adr/0006-bundling-shims.md
 */
/* @__NO_SIDE_EFFECTS__ */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}
