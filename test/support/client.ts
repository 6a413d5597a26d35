/**
 * The HTTP client of the integration tests: one request to the local API (or any base URL), its
 * reply read whole.
 *
 *   const filed = await call(system.baseUrl, 'POST', '/v1/cases', { body: petition() });
 *   expect(filed.status, filed.text).toBe(201);
 *   expect(filed.body.radicado).toMatch(...);
 */

export interface CallOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is, instead of `body`. */
  raw?: string | Uint8Array;
  /** With a body or `raw`, `content-type` is `application/json` unless given here (any case). */
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  headers: Headers;
  /** The body parsed as JSON when it is an object: what most assertions read. `{}` otherwise. */
  body: Record<string, unknown>;
  /** The body parsed as JSON, whatever it is (an array, a string); undefined when empty or not JSON. */
  json: unknown;
  text: string;
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  const payload = options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(payload !== undefined ? { body: payload } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const body =
    typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : {};
  return { status: res.status, headers: res.headers, body, json, text };
}
