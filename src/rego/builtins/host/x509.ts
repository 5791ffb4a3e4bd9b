/**
 * Host builtins of X.509 with OPA's semantics (`topdown/crypto.go`): `crypto.x509.parse_certificates`,
 * `parse_and_verify_certificates` (+ `_with_options`: the first certificate is the root, the last the leaf, the
 * others intermediates), `parse_certificate_request` and `parse_keypair`. Inputs are PEM, base64 of PEM, or
 * base64 of DER. Certificates come back as Go's JSON (`x509-json.ts`).
 */
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { goPrivateKeyJson, privateKeysFromPem } from "./crypto.js";
import { decodeBase64, decodePem, decodePemBlocks, namedErrors } from "./crypto-encoding.js";
import { messageOf } from "./jwt-keys.js";
import { arr, isObject, obj, str, type Json } from "./operands.js";
import { certificateJson, certificateRequestJson, EXT_KEY_USAGES, splitCertificates } from "./x509-json.js";

function certificatesFromPem(pem: string): Buffer[] {
  const blocks = decodePemBlocks(pem);
  const bad = blocks.find((b) => b.type !== "CERTIFICATE");
  if (bad) throw new Error(`PEM block type is '${bad.type}', expected CERTIFICATE`);
  return splitCertificates(Buffer.concat(blocks.map((b) => b.bytes)));
}

/** The DER certificates of a PEM, base64-of-PEM or base64-of-DER text. */
function certificatesFromText(text: string): Buffer[] {
  if (text.startsWith("-----BEGIN")) return certificatesFromPem(text);
  const bytes = decodeBase64(text);
  if (bytes.subarray(0, 10).toString("latin1") === "-----BEGIN") return certificatesFromPem(bytes.toString("utf8"));
  return splitCertificates(bytes);
}

function parseCertificates(text: string): Record<string, Json>[] {
  return certificatesFromText(text).map(certificateJson);
}

const KEY_USAGE_NAMES: Record<string, string> = {
  KeyUsageAny: "2.5.29.37.0", KeyUsageServerAuth: "1.3.6.1.5.5.7.3.1", KeyUsageClientAuth: "1.3.6.1.5.5.7.3.2",
  KeyUsageCodeSigning: "1.3.6.1.5.5.7.3.3", KeyUsageEmailProtection: "1.3.6.1.5.5.7.3.4", KeyUsageIPSECEndSystem: "1.3.6.1.5.5.7.3.5",
  KeyUsageIPSECTunnel: "1.3.6.1.5.5.7.3.6", KeyUsageIPSECUser: "1.3.6.1.5.5.7.3.7", KeyUsageTimeStamping: "1.3.6.1.5.5.7.3.8",
  KeyUsageOCSPSigning: "1.3.6.1.5.5.7.3.9", KeyUsageMicrosoftServerGatedCrypto: "1.3.6.1.4.1.311.10.3.3",
  KeyUsageNetscapeServerGatedCrypto: "2.16.840.1.113730.4.1", KeyUsageMicrosoftCommercialCodeSigning: "1.3.6.1.4.1.311.2.1.22",
  KeyUsageMicrosoftKernelCodeSigning: "1.3.6.1.4.1.311.61.1.1",
};

interface VerifyOptions {
  dnsName: string;
  /** Milliseconds since the epoch. */
  now: number;
  /** Go's ExtKeyUsage numbers; empty means server authentication, as Go's default. */
  keyUsages: number[];
}

function verifyOptions(o: Record<string, Json>): VerifyOptions {
  const opts: VerifyOptions = { dnsName: "", now: Date.now(), keyUsages: [] };
  for (const [k, v] of Object.entries(o)) {
    if (k === "DNSName") {
      if (typeof v !== "string") throw new Error("'DNSName' should be a string");
      opts.dnsName = v;
    } else if (k === "CurrentTime") {
      if (typeof v !== "number") throw new Error("'CurrentTime' should be a number");
      if (!Number.isInteger(v)) throw new Error("'CurrentTime' should be a valid int64 number");
      opts.now = v / 1e6;
    } else if (k === "MaxConstraintComparisons") {
      if (typeof v !== "number") throw new Error("'MaxConstraintComparisons' should be a number");
    } else if (k === "KeyUsages") {
      const invalid: string[] = [];
      for (const u of arr("crypto.x509.parse_and_verify_certificates_with_options", 1, v)) {
        if (typeof u !== "string") continue;
        const oid = KEY_USAGE_NAMES[u];
        if (oid) opts.keyUsages.push(EXT_KEY_USAGES[oid] as number);
        else invalid.push(u);
      }
      if (invalid.length > 0) throw new Error(`invalid entries for 'KeyUsages' found: [${invalid.join(" ")}]`);
    } else throw new Error("invalid key option");
  }
  return opts;
}

function validAt(cert: X509Certificate, now: number): boolean {
  return Date.parse(cert.validFrom) <= now && now <= Date.parse(cert.validTo);
}

function extKeyUsageAllows(json: Record<string, Json>, wanted: number[]): boolean {
  const usages = json.ExtKeyUsage as number[] | null;
  if (!usages || usages.includes(0)) return true;
  return wanted.some((w) => w === 0 || usages.includes(w));
}

/** Go's hostname check: an IP address against IP SANs, else a name (case-insensitive, trailing dot ignored) against DNS SANs. */
function hostMatches(leaf: X509Certificate, name: string): boolean {
  const host = name.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0) return leaf.checkIP(host) !== undefined;
  return leaf.checkHost(host.replace(/\.$/, ""), { subject: "never" }) !== undefined;
}

/** Go's bound on signature checks while building a chain (hostile bundles of look-alike issuers). */
const MAX_SIGNATURE_CHECKS = 100;

/** The verified chain leaf → root, or `undefined`; `certs` is root, intermediates…, leaf. */
function verifyChain(ders: Buffer[], opts: VerifyOptions): Buffer[] | undefined {
  if (ders.length < 2) throw new Error("operand 1 must supply at least two certificates to be able to verify");
  const certs = ders.map((d) => new X509Certificate(d));
  const jsons = ders.map(certificateJson);
  const leafIndex = certs.length - 1;
  const leaf = certs[leafIndex] as X509Certificate;
  const wanted = opts.keyUsages.length > 0 ? opts.keyUsages : [1];
  if (opts.dnsName !== "" && !hostMatches(leaf, opts.dnsName)) return undefined;
  const chain = [leafIndex];
  let signatureChecks = 0;
  const candidates = (): number[] => [0, ...Array.from({ length: Math.max(0, certs.length - 2) }, (_, i) => i + 1)];
  for (let current = leafIndex; chain.length <= certs.length;) {
    const cert = certs[current] as X509Certificate;
    if (!validAt(cert, opts.now) || !extKeyUsageAllows(jsons[current] as Record<string, Json>, wanted)) return undefined;
    if (current === 0) return chain.map((i) => ders[i] as Buffer);
    // As Go's verifier: intermediates must be CAs, the root need not be.
    const parent = candidates().find((i) => !chain.includes(i) && (i === 0 || (jsons[i] as Record<string, Json>).IsCA === true)
      && cert.checkIssued(certs[i] as X509Certificate) && signatureChecks++ < MAX_SIGNATURE_CHECKS
      && cert.verify((certs[i] as X509Certificate).publicKey));
    if (parent === undefined) return undefined;
    chain.push(parent);
    current = parent;
  }
  return undefined;
}

/** `withUris`: OPA adds `URIStrings` to the certificates of `parse_and_verify_certificates` but not of `_with_options`. */
function parseAndVerify(text: string, opts: VerifyOptions, withUris: boolean): Json {
  let ders: Buffer[];
  try {
    ders = certificatesFromText(text);
  } catch {
    return [false, []];
  }
  let chain: Buffer[] | undefined;
  try {
    chain = verifyChain(ders, opts);
  } catch {
    chain = undefined;
  }
  if (!chain) return [false, []];
  return [true, chain.map((der) => {
    const json = certificateJson(der);
    if (!withUris) delete json.URIStrings;
    return json;
  })];
}

/** A PEM (or base64 of PEM or of DER) text as PEM of the given block type. */
function asPem(text: string, type: string): string {
  if (text.startsWith("-----BEGIN ")) return text;
  const bytes = decodeBase64(text);
  if (bytes.subarray(0, 11).toString("latin1") === "-----BEGIN ") return bytes.toString("utf8");
  return `-----BEGIN ${type}-----\n${bytes.toString("base64")}\n-----END ${type}-----\n`;
}

/** Go's `tls.X509KeyPair`, as the JSON of `tls.Certificate`. */
function parseKeyPair(certText: string, keyText: string): Json {
  const certPem = asPem(certText, "CERTIFICATE");
  const keyPem = asPem(keyText, "PRIVATE KEY");
  const ders = decodePemBlocks(certPem).filter((b) => b.type === "CERTIFICATE").map((b) => b.bytes);
  if (ders.length === 0) throw new Error("tls: failed to find any PEM data in certificate input");
  const [key] = privateKeysFromPem(keyPem);
  if (!key) throw new Error("tls: failed to find any PEM data in key input");
  const leaf = new X509Certificate(ders[0] as Buffer);
  if (!leaf.checkPrivateKey(key)) throw new Error("tls: private key does not match public key");
  return {
    Certificate: ders.map((d) => d.toString("base64")), PrivateKey: goPrivateKeyJson(key), SupportedSignatureAlgorithms: null,
    OCSPStaple: null, SignedCertificateTimestamps: null, Leaf: certificateJson(ders[0] as Buffer),
  };
}

function parseCertificateRequest(text: string): Json {
  let bytes: Buffer = Buffer.from(text, "utf8");
  if (!text.startsWith("-----BEGIN CERTIFICATE REQUEST-----")) bytes = decodeBase64(text);
  const pem = decodePem(bytes.toString("latin1"));
  if (pem && pem.block.type !== "CERTIFICATE REQUEST") throw new Error("invalid PEM-encoded certificate signing request");
  return certificateRequestJson(pem ? pem.block.bytes : bytes);
}

export const x509Builtins = namedErrors({
  "crypto.x509.parse_certificates": (x) => parseCertificates(str("crypto.x509.parse_certificates", 0, x)),
  "crypto.x509.parse_and_verify_certificates": (x) => parseAndVerify(str("crypto.x509.parse_and_verify_certificates", 0, x), verifyOptions({}), true),
  "crypto.x509.parse_and_verify_certificates_with_options": (x, o) => {
    const name = "crypto.x509.parse_and_verify_certificates_with_options";
    const text = str(name, 0, x);
    const options = obj(name, 1, o);
    return parseAndVerify(text, verifyOptions(isObject(options) ? options : {}), false);
  },
  "crypto.x509.parse_certificate_request": (x) => parseCertificateRequest(str("crypto.x509.parse_certificate_request", 0, x)),
  "crypto.x509.parse_keypair": (c, k) => {
    const name = "crypto.x509.parse_keypair";
    try {
      return parseKeyPair(str(name, 0, c), str(name, 1, k));
    } catch (e) {
      if (e instanceof Error && /^(tls|illegal|x509)/.test(e.message)) throw e;
      throw new Error(`tls: ${messageOf(e)}`, { cause: e });
    }
  },
});
