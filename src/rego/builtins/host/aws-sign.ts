/**
 * `providers.aws.sign_req`: AWS Signature Version 4 of an HTTP request object (as `http.send` takes it), with
 * OPA's semantics (`topdown/providers.go`): the request comes back with its headers plus `Authorization`,
 * `host`, `x-amz-date`, for S3 and Glacier `x-amz-content-sha256`, and `x-amz-security-token` with a session
 * token. Called with the value-text convention, so a body holding sets keeps them.
 */
import { createHash, createHmac } from "node:crypto";
import { namedErrors } from "./crypto-encoding.js";
import { goJson } from "./jwt-sign.js";
import { isObject, typeError, type HostBuiltinFamily, type Json } from "./operands.js";

const NAME = "providers.aws.sign_req";
const INT64_MAX = 9223372036854775807n;
const REQUIRED_CONFIG = ["aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"];
const REQUIRED_REQUEST = ["method", "url"];
/** Headers a proxy may change on the way, left out of the signature. */
const UNSIGNED_HEADERS = new Set(["authorization", "user-agent", "x-amzn-trace-id"]);

function operandError(i: number, message: string): Error {
  return typeError(`${NAME}: operand ${i} ${message}`);
}

function setText(names: string[]): string {
  return `{${names.map((n) => JSON.stringify(n)).join(", ")}}`;
}

function checkKeys(o: Record<string, Json>, required: string[], operand: number, what: string): void {
  const missing = required.filter((k) => !(k in o));
  if (missing.length > 0) throw operandError(operand, `missing required ${what} parameters(s): ${setText(missing)}`);
  const invalid = required.filter((k) => typeof o[k] !== "string");
  if (invalid.length > 0) throw operandError(operand, `invalid values for required ${what} parameters(s): ${setText(invalid)}`);
}

const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();

/** Go's `url.URL.EscapedPath` and `RawQuery` of a URL text. */
function pathAndQuery(url: string): { host: string; path: string; query: string } {
  const m = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?/.exec(url);
  const host = m?.[1] ?? "";
  return { host: host.replace(/^[^@]*@/, ""), path: m?.[2] ?? "", query: m?.[3] ?? "" };
}

/** `YYYYMMDDTHHMMSSZ` of a time in nanoseconds. */
function amzDate(ns: bigint): string {
  const d = new Date(Number(ns / 1000000n));
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

interface SignInput {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  config: Record<string, Json>;
  ns: bigint;
  unsignedPayload: boolean;
}

/** The `Authorization` header and the AWS headers of a request. */
function signV4(r: SignInput): { authorization: string; awsHeaders: Record<string, string> } {
  const service = r.config.aws_service as string;
  const region = r.config.aws_region as string;
  const payloadHash = r.unsignedPayload ? "UNSIGNED-PAYLOAD" : sha256Hex(Buffer.from(r.body, "utf8"));
  const stamp = amzDate(r.ns);
  const day = stamp.slice(0, 8);
  const url = pathAndQuery(r.url);
  const awsHeaders: Record<string, string> = { host: url.host, "x-amz-date": stamp };
  if (service === "s3" || service === "glacier") awsHeaders["x-amz-content-sha256"] = payloadHash;
  if (typeof r.config.aws_session_token === "string" && r.config.aws_session_token !== "") awsHeaders["x-amz-security-token"] = r.config.aws_session_token;
  const toSign: Record<string, string> = { ...awsHeaders };
  for (const [k, v] of Object.entries(r.headers)) {
    if (!UNSIGNED_HEADERS.has(k.toLowerCase())) toSign[k.toLowerCase()] = v;
  }
  const names = Object.keys(toSign).sort();
  const signedHeaders = names.join(";");
  const canonical = [r.method, url.path, url.query, ...names.map((k) => `${k}:${toSign[k] as string}`), "", signedHeaders, payloadHash].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", stamp, scope, sha256Hex(canonical)].join("\n");
  let key = hmac(`AWS4${r.config.aws_secret_access_key as string}`, day);
  for (const part of [region, service, "aws4_request"]) key = hmac(key, part);
  const signature = hmac(key, stringToSign).toString("hex");
  const authorization = `AWS4-HMAC-SHA256 Credential=${r.config.aws_access_key as string}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return { authorization, awsHeaders };
}

function signReq(req: Json, config: Json, time: Json): Json {
  if (!isObject(req)) throw operandError(1, "must be object");
  if (!isObject(config)) throw operandError(2, "must be object");
  checkKeys(config, REQUIRED_CONFIG, 2, "AWS config");
  // OPA reads an int64 from the number's text: fractions, exponents (negative numbers in the cases) and overflow fail.
  const ns = typeof time === "bigint" ? time : typeof time === "number" && Number.isInteger(time) && time >= 0 ? BigInt(time) : -1n;
  if (ns < 0n || ns > INT64_MAX) throw operandError(3, "could not convert time_ns value into a unix timestamp");
  checkKeys(req, REQUIRED_REQUEST, 1, "request");
  const rawHeaders = req.headers ?? {};
  if (!isObject(rawHeaders)) throw operandError(1, "headers must be an object");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawHeaders)) headers[k] = typeof v === "string" ? v : "";
  const disable = config.disable_payload_signing;
  if (disable !== undefined && typeof disable !== "boolean") throw operandError(2, "invalid value for 'disable_payload_signing' in AWS config");
  const body = typeof req.raw_body === "string" ? req.raw_body : req.body !== undefined ? goJson(req.body) : "";
  const { authorization, awsHeaders } = signV4({
    method: req.method as string, url: req.url as string, headers, body, config, ns, unsignedPayload: disable === true,
  });
  return { ...req, headers: { ...headers, Authorization: authorization, ...awsHeaders } };
}

export const awsSignBuiltins: HostBuiltinFamily = namedErrors({ [NAME]: signReq });
