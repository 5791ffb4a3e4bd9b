/**
 * X.509 certificates and certificate requests as OPA returns them: the JSON Go's `encoding/json` writes for
 * `x509.Certificate` and `x509.CertificateRequest` (byte slices as base64, big integers exact, absent lists
 * `null`), read from DER by `der.ts`; public keys through `node:crypto`.
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import {
  BIT_STRING, BOOLEAN, children, DerError, expect, integer, INTEGER, OCTET_STRING, OID, oidArcs, oidText, readNode, readOne,
  SEQUENCE, stringValue, timeValue, type DerNode,
} from "./der.js";
import type { Json } from "./operands.js";

const SIGNATURE_ALGORITHMS: Record<string, number> = {
  "1.2.840.113549.1.1.2": 1, "1.2.840.113549.1.1.4": 2, "1.2.840.113549.1.1.5": 3, "1.2.840.113549.1.1.11": 4,
  "1.2.840.113549.1.1.12": 5, "1.2.840.113549.1.1.13": 6, "1.2.840.10040.4.3": 7, "2.16.840.1.101.3.4.3.2": 8,
  "1.2.840.10045.4.1": 9, "1.2.840.10045.4.3.2": 10, "1.2.840.10045.4.3.3": 11, "1.2.840.10045.4.3.4": 12,
  "1.2.840.113549.1.1.10": 13, "1.3.101.112": 16,
};
const PUBLIC_KEY_ALGORITHMS: Record<string, number> = {
  "1.2.840.113549.1.1.1": 1, "1.2.840.10040.4.1": 2, "1.2.840.10045.2.1": 3, "1.3.101.112": 4, "1.3.101.110": 5,
};
/** Go's `x509.ExtKeyUsage` numbers by OID. */
export const EXT_KEY_USAGES: Record<string, number> = {
  "2.5.29.37.0": 0, "1.3.6.1.5.5.7.3.1": 1, "1.3.6.1.5.5.7.3.2": 2, "1.3.6.1.5.5.7.3.3": 3, "1.3.6.1.5.5.7.3.4": 4,
  "1.3.6.1.5.5.7.3.5": 5, "1.3.6.1.5.5.7.3.6": 6, "1.3.6.1.5.5.7.3.7": 7, "1.3.6.1.5.5.7.3.8": 8, "1.3.6.1.5.5.7.3.9": 9,
  "1.3.6.1.4.1.311.10.3.3": 10, "2.16.840.1.113730.4.1": 11, "1.3.6.1.4.1.311.2.1.22": 12, "1.3.6.1.4.1.311.61.1.1": 13,
};
/** pkix.Name fields by attribute OID: lists, then the single-valued ones. */
const NAME_LISTS: Record<string, string> = {
  "2.5.4.6": "Country", "2.5.4.10": "Organization", "2.5.4.11": "OrganizationalUnit", "2.5.4.7": "Locality",
  "2.5.4.8": "Province", "2.5.4.9": "StreetAddress", "2.5.4.17": "PostalCode",
};
const NAME_SINGLE: Record<string, string> = { "2.5.4.5": "SerialNumber", "2.5.4.3": "CommonName" };

const b64 = (b: Buffer): string => b.toString("base64");
const exact = (n: bigint): Json => (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n);

/** A Name as Go's `pkix.Name` JSON. */
function nameJson(node: DerNode): Record<string, Json> {
  const out: Record<string, Json> = {
    Country: null, Organization: null, OrganizationalUnit: null, Locality: null, Province: null, StreetAddress: null,
    PostalCode: null, SerialNumber: "", CommonName: "", Names: [], ExtraNames: null,
  };
  const names: Json[] = [];
  for (const rdn of children(expect(node, SEQUENCE))) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      const oid = oidText(expect(type, OID));
      const text = value ? stringValue(value) : "";
      names.push({ Type: oidArcs(type as DerNode), Value: text });
      const list = NAME_LISTS[oid];
      if (list) ((out[list] ??= []) as string[]).push(text);
      const single = NAME_SINGLE[oid];
      if (single) out[single] = text;
    }
  }
  out.Names = names;
  return out;
}

/** A public key as Go's JSON of `*rsa.PublicKey`, `*ecdsa.PublicKey` or `ed25519.PublicKey`. */
function publicKeyJson(key: KeyObject): Json {
  const jwk = key.export({ format: "jwk" });
  const big = (s: string | undefined): bigint => BigInt(`0x${Buffer.from(s ?? "", "base64url").toString("hex") || "0"}`);
  if (jwk.kty === "RSA") return { N: big(jwk.n), E: exact(big(jwk.e)) };
  if (jwk.kty === "EC") return { Curve: {}, X: big(jwk.x), Y: big(jwk.y) };
  return Buffer.from(jwk.x ?? "", "base64url").toString("base64");
}

interface GeneralNames {
  DNSNames: string[] | null;
  EmailAddresses: string[] | null;
  IPAddresses: string[] | null;
  URIs: string[] | null;
}

/** Go's `net.IP.String`: dotted IPv4 (also for IPv4-mapped IPv6), else IPv6 with the longest run of zero groups as `::`. */
function ipText(b: Buffer): string {
  if (b.length === 4) return [...b].join(".");
  if (b.length === 16 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return [...b.subarray(12)].join(".");
  const groups: number[] = [];
  for (let i = 0; i + 1 < b.length; i += 2) groups.push(b.readUInt16BE(i));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < groups.length;) {
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(":");
  return best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

function generalNames(node: DerNode): GeneralNames {
  const out: GeneralNames = { DNSNames: null, EmailAddresses: null, IPAddresses: null, URIs: null };
  for (const gn of children(node)) {
    const add = (key: keyof GeneralNames, v: string): void => {
      (out[key] ??= []).push(v);
    };
    if (gn.tag === 0x82) add("DNSNames", gn.content.toString("latin1"));
    else if (gn.tag === 0x81) add("EmailAddresses", gn.content.toString("latin1"));
    else if (gn.tag === 0x87) add("IPAddresses", ipText(gn.content));
    else if (gn.tag === 0x86) add("URIs", gn.content.toString("latin1"));
  }
  return out;
}

/** Go's `url.URL` JSON of a URI text. */
export function urlJson(uri: string): Json {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(uri);
  return {
    Scheme: m?.[1] ?? "", Opaque: "", User: null, Host: m?.[2] ?? "", Path: m?.[3] ?? uri, RawPath: "", OmitHost: false,
    ForceQuery: false, RawQuery: m?.[4] ?? "", Fragment: m?.[5] ?? "", RawFragment: "",
  };
}

/** The fields Go fills from a certificate's extensions. */
function extensionFields(exts: DerNode[], out: Record<string, Json>): void {
  const list: Json[] = [];
  for (const ext of exts) {
    const parts = children(ext);
    const id = expect(parts[0], OID);
    const critical = parts[1]?.tag === BOOLEAN ? (parts[1].content[0] ?? 0) !== 0 : false;
    const value = expect(parts[parts.length - 1], OCTET_STRING).content;
    list.push({ Id: oidArcs(id), Critical: critical, Value: b64(value) });
    const inner = (): DerNode => readOne(value);
    switch (oidText(id)) {
      case "2.5.29.15": {
        const bits = inner().content;
        let usage = 0;
        for (let i = 0; i < (bits.length - 1) * 8; i++) if (((bits[1 + (i >> 3)] as number) >> (7 - (i & 7))) & 1) usage |= 1 << i;
        out.KeyUsage = usage;
        break;
      }
      case "2.5.29.19": {
        const [ca, pathLen] = children(inner());
        out.BasicConstraintsValid = true;
        out.IsCA = ca?.tag === BOOLEAN ? (ca.content[0] ?? 0) !== 0 : false;
        const len = ca?.tag === INTEGER ? ca : pathLen;
        out.MaxPathLen = len ? Number(integer(len)) : -1;
        out.MaxPathLenZero = out.MaxPathLen === 0;
        break;
      }
      case "2.5.29.37": {
        for (const u of children(inner())) {
          const n = EXT_KEY_USAGES[oidText(u)];
          if (n === undefined) ((out.UnknownExtKeyUsage ??= []) as Json[]).push(oidArcs(u));
          else ((out.ExtKeyUsage ??= []) as Json[]).push(n);
        }
        break;
      }
      case "2.5.29.14":
        out.SubjectKeyId = b64(inner().content);
        break;
      case "2.5.29.35": {
        const keyId = children(inner()).find((c) => c.tag === 0x80);
        if (keyId) out.AuthorityKeyId = b64(keyId.content);
        break;
      }
      case "2.5.29.17":
        Object.assign(out, generalNames(inner()));
        break;
      case "1.3.6.1.5.5.7.1.1":
        for (const ad of children(inner())) {
          const [method, location] = children(ad);
          if (!method || location?.tag !== 0x86) continue;
          const key = oidText(method) === "1.3.6.1.5.5.7.48.1" ? "OCSPServer" : oidText(method) === "1.3.6.1.5.5.7.48.2" ? "IssuingCertificateURL" : "";
          if (key) ((out[key] ??= []) as Json[]).push(location.content.toString("latin1"));
        }
        break;
      case "2.5.29.31":
        for (const dp of children(inner())) {
          const name = children(dp).find((c) => c.tag === 0xa0);
          const full = name ? children(name).find((c) => c.tag === 0xa0) : undefined;
          for (const gn of full ? children(full) : []) if (gn.tag === 0x86) ((out.CRLDistributionPoints ??= []) as Json[]).push(gn.content.toString("latin1"));
        }
        break;
      case "2.5.29.32":
        for (const policy of children(inner())) {
          const oid = children(policy)[0];
          if (!oid) continue;
          ((out.PolicyIdentifiers ??= []) as Json[]).push(oidArcs(oid));
          ((out.Policies ??= []) as Json[]).push(oidText(oid));
        }
        break;
    }
  }
  out.Extensions = list;
}

function spkiKey(spki: DerNode): { algorithm: number; key: Json } {
  const alg = oidText(expect(children(expect(children(spki)[0], SEQUENCE))[0], OID));
  let key: Json = null;
  try {
    key = publicKeyJson(createPublicKey({ key: spki.raw, format: "der", type: "spki" }));
  } catch {
    // a key node:crypto cannot read (e.g. DSA parameters missing): left null
  }
  return { algorithm: PUBLIC_KEY_ALGORITHMS[alg] ?? 0, key };
}

/** A DER certificate as Go's `x509.Certificate` JSON (plus OPA's `URIStrings`); `x509: malformed certificate` otherwise. */
export function certificateJson(der: Buffer): Record<string, Json> {
  try {
    const [tbs, sigAlg, sig] = children(expect(readOne(der), SEQUENCE));
    const fields = children(expect(tbs, SEQUENCE));
    let i = 0;
    let version = 1;
    if (fields[0]?.tag === 0xa0) {
      version = Number(integer(expect(children(fields[0])[0], INTEGER))) + 1;
      i++;
    }
    const serial = expect(fields[i++], INTEGER);
    i++; // the TBS signature algorithm repeats the outer one
    const issuer = expect(fields[i++], SEQUENCE);
    const [notBefore, notAfter] = children(expect(fields[i++], SEQUENCE));
    const subject = expect(fields[i++], SEQUENCE);
    const spki = expect(fields[i++], SEQUENCE);
    const extsNode = fields.slice(i).find((f) => f.tag === 0xa3);
    const { algorithm, key } = spkiKey(spki);
    const out: Record<string, Json> = {
      Raw: b64(der), RawTBSCertificate: b64((tbs as DerNode).raw), RawSubjectPublicKeyInfo: b64(spki.raw), RawSubject: b64(subject.raw),
      RawIssuer: b64(issuer.raw), Signature: b64(expect(sig, BIT_STRING).content.subarray(1)),
      SignatureAlgorithm: SIGNATURE_ALGORITHMS[oidText(expect(children(expect(sigAlg, SEQUENCE))[0], OID))] ?? 0,
      PublicKeyAlgorithm: algorithm, PublicKey: key, Version: version, SerialNumber: exact(integer(serial)),
      Issuer: nameJson(issuer), Subject: nameJson(subject), NotBefore: timeValue(notBefore as DerNode), NotAfter: timeValue(notAfter as DerNode),
      KeyUsage: 0, Extensions: null, ExtraExtensions: null, UnhandledCriticalExtensions: null, ExtKeyUsage: null, UnknownExtKeyUsage: null,
      BasicConstraintsValid: false, IsCA: false, MaxPathLen: 0, MaxPathLenZero: false, SubjectKeyId: null, AuthorityKeyId: null,
      OCSPServer: null, IssuingCertificateURL: null, DNSNames: null, EmailAddresses: null, IPAddresses: null, URIs: null,
      PermittedDNSDomainsCritical: false, PermittedDNSDomains: null, ExcludedDNSDomains: null, PermittedIPRanges: null,
      ExcludedIPRanges: null, PermittedEmailAddresses: null, ExcludedEmailAddresses: null, PermittedURIDomains: null,
      ExcludedURIDomains: null, CRLDistributionPoints: null, PolicyIdentifiers: null, Policies: null,
      InhibitAnyPolicy: 0, InhibitAnyPolicyZero: false, InhibitPolicyMapping: 0, InhibitPolicyMappingZero: false,
      RequireExplicitPolicy: 0, RequireExplicitPolicyZero: false, PolicyMappings: null,
    };
    if (extsNode) extensionFields(children(expect(children(extsNode)[0], SEQUENCE)), out);
    const uris = out.URIs as string[] | null;
    out.URIs = uris ? uris.map(urlJson) : null;
    out.URIStrings = uris;
    return out;
  } catch (e) {
    if (e instanceof DerError || e instanceof TypeError) throw new Error("x509: malformed certificate", { cause: e });
    throw e;
  }
}

/** The DER certificates concatenated in `data` (none in empty data, as Go's `x509.ParseCertificates`). */
export function splitCertificates(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  try {
    for (let at = 0; at < data.length;) {
      const node = readNode(data, at);
      out.push(node.raw);
      at += node.raw.length;
    }
  } catch (e) {
    throw new Error("x509: malformed certificate", { cause: e });
  }
  return out;
}

/** A DER certificate request as Go's `x509.CertificateRequest` JSON. */
export function certificateRequestJson(der: Buffer): Record<string, Json> {
  try {
    const [info, sigAlg, sig] = children(expect(readOne(der), SEQUENCE));
    const [version, subject, spki, attributes] = children(expect(info, SEQUENCE));
    const { algorithm, key } = spkiKey(expect(spki, SEQUENCE));
    const out: Record<string, Json> = {
      Raw: b64(der), RawTBSCertificateRequest: b64((info as DerNode).raw), RawSubjectPublicKeyInfo: b64((spki as DerNode).raw),
      RawSubject: b64(expect(subject, SEQUENCE).raw), Version: Number(integer(expect(version, INTEGER))),
      Signature: b64(expect(sig, BIT_STRING).content.subarray(1)),
      SignatureAlgorithm: SIGNATURE_ALGORITHMS[oidText(expect(children(expect(sigAlg, SEQUENCE))[0], OID))] ?? 0,
      PublicKeyAlgorithm: algorithm, PublicKey: key, Subject: nameJson(subject as DerNode), Attributes: null, Extensions: null,
      ExtraExtensions: null, DNSNames: null, EmailAddresses: null, IPAddresses: null, URIs: null,
    };
    for (const attr of attributes?.tag === 0xa0 ? children(attributes) : []) {
      const [type, values] = children(attr);
      if (!type || oidText(type) !== "1.2.840.113549.1.9.14" || !values) continue;
      const exts = children(expect(children(values)[0], SEQUENCE));
      const certLike: Record<string, Json> = {};
      extensionFields(exts, certLike);
      out.Extensions = certLike.Extensions ?? null;
      for (const k of ["DNSNames", "EmailAddresses", "IPAddresses"]) out[k] = certLike[k] ?? null;
      const uris = certLike.URIs as string[] | undefined;
      out.URIs = uris ? uris.map(urlJson) : null;
    }
    return out;
  } catch (e) {
    if (e instanceof DerError || e instanceof TypeError) throw new Error(`asn1: structure error: ${e.message}`, { cause: e });
    throw e;
  }
}
