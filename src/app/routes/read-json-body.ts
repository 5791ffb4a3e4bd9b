import type { IncomingMessage, ServerResponse } from "node:http";
import { discardBody, readRequestBody } from "./read-request-body.js";
import { sendJson } from "./send-json.js";

/**
 * Reads a JSON request body, answering the refusals itself: 413 above `maxBytes` (the rest read and discarded
 * up to `DISCARD_LIMIT`, never kept; the connection closed), 401 when `verify` (e.g. a body signature) refuses the raw bytes, 400 for malformed JSON.
 * Returns the parsed value, or `answered: true` when the request was refused.
 */
export async function readJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
  verify?: (body: Buffer) => boolean,
): Promise<{ answered: false; json: unknown } | { answered: true }> {
  const read = await readRequestBody(req, maxBytes);
  if (!read.ok) {
    // The rest is read and thrown away (up to a bound) first, so a client still sending reads the 413
    // instead of a connection reset; the connection is closed after the answer either way.
    await discardBody(req, read.received);
    sendJson(res, 413, { error: "body_too_large", message: `the body exceeds ${maxBytes} bytes (ALERTS_MAX_BODY_BYTES)` }, { close: true });
    return { answered: true };
  }
  if (verify && !verify(read.body)) {
    sendJson(res, 401, { error: "unauthorized", message: "wrong or missing body signature" });
    return { answered: true };
  }
  try {
    return { answered: false, json: JSON.parse(read.body.toString("utf8")) as unknown };
  } catch (error) {
    sendJson(res, 400, { error: "invalid_json", message: `the body is not JSON: ${error instanceof Error ? error.message : String(error)}` });
    return { answered: true };
  }
}
