/**
 * One JSON call to a running gateway with its bearer key: the tests' shared client for the admin
 * API (and any JSON route). The body is sent as JSON when given; the answer's body is parsed
 * (`{}` when empty) and typed `never`, so a test states the shape it expects where it reads it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'undici';

export type JsonMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface JsonAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: never;
}

/** `method path` on `gateway.url` with `authorization: Bearer <key>` (default: `gateway.key`). */
export async function callJson(
  gateway: { url: string; key: string },
  method: JsonMethod,
  path: string,
  body?: unknown,
  key: string = gateway.key,
): Promise<JsonAnswer> {
  const response = await request(`${gateway.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: (text === '' ? {} : JSON.parse(text)) as never,
  };
}
