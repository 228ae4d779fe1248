/**
 * The request id: the client's `x-request-id` when it is a sane token (1–128 characters of
 * `[A-Za-z0-9._:-]`), else a fresh `req_…` id. It is echoed as `x-request-id`, labels every log
 * line of the request and is the ledger row's id, so it must be unique: an incoming id this
 * process has seen recently (a client retrying with the same id) gets a random suffix
 * (`<id>~<6 alphanumerics>`) and the client learns the id actually used from the response
 * header. Across processes and restarts the ledger insert does the same for an id already
 * stored (storage/ledger-insert.ts), so a duplicate can never replace or drop a row.
 */
import { createRequestId, suffixRequestId } from '../lib/ids.ts';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Client ids remembered by one process for the duplicate check (oldest forgotten first). */
const REMEMBERED_IDS = 10_000;

/**
 * Returns the function Fastify's `genReqId` calls with the incoming header value.
 * @param remember how many client-supplied ids to remember (default 10 000).
 */
export function createRequestIdSource(
  remember: number = REMEMBERED_IDS,
): (header: string | string[] | undefined) => string {
  const seen = new Set<string>();
  return (header) => {
    if (typeof header !== 'string' || !SANE_REQUEST_ID.test(header)) return createRequestId();
    if (seen.has(header)) return suffixRequestId(header);
    seen.add(header);
    // A Set iterates in insertion order: its first value is the oldest id.
    if (seen.size > remember) {
      for (const oldest of seen) {
        seen.delete(oldest);
        break;
      }
    }
    return header;
  };
}
