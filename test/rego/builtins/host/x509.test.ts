import { generateKeyPairSync } from "node:crypto";
import { call as callRaw, failure } from "./call-host-builtin.js";
import { buildCertificate, buildCsr, chain, ecKeys, pem } from "./x509-fixtures.js";

type Cert = Record<string, unknown> & { Subject: { CommonName: string; Organization: string[] | null }; Issuer: { CommonName: string } };

const DAY = 86_400_000;

/** Results holding big integers (public keys) come back as JSON text. */
const text = (r: unknown): string => (r instanceof ArrayBuffer ? new TextDecoder().decode(r) : JSON.stringify(r));
const call = (name: string, ...args: unknown[]): unknown => JSON.parse(text(callRaw(name, ...args)));

describe("crypto.x509 host builtins", () => {
  const c = chain();
  const bundle = pem(c.root) + pem(c.intermediate) + pem(c.leaf);

  test("parse_certificates: PEM, base64 of PEM and base64 of DER give Go's certificate fields", () => {
    for (const input of [bundle, Buffer.from(bundle).toString("base64"), Buffer.concat([c.root, c.intermediate, c.leaf]).toString("base64")]) {
      const certs = call("crypto.x509.parse_certificates", input) as Cert[];
      expect(certs.map((x) => x.Subject.CommonName)).toEqual(["Test Root CA", "Test Intermediate CA", "service.example.test"]);
    }
    const [root, , leaf] = call("crypto.x509.parse_certificates", bundle) as Cert[];
    expect(root?.IsCA).toBe(true);
    expect(root?.Subject.Organization).toEqual(["Fleetward Test"]);
    expect(root?.Version).toBe(3);
    expect(leaf?.Issuer.CommonName).toBe("Test Intermediate CA");
    expect(leaf?.SerialNumber).toBe(300);
    expect(leaf?.DNSNames).toEqual(["service.example.test"]);
    expect(leaf?.URIStrings).toEqual(["spiffe://example.test/service"]);
    expect(leaf?.ExtKeyUsage).toEqual([1, 2]);
    expect(leaf?.KeyUsage).toBe(1);
    expect(leaf?.SignatureAlgorithm).toBe(10);
    expect(leaf?.PublicKeyAlgorithm).toBe(3);
    expect(leaf?.Raw).toBe(c.leaf.toString("base64"));
    expect(leaf?.NotAfter).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  test("parse_certificates: malformed input is an error with Go's text", () => {
    expect(failure("crypto.x509.parse_certificates", "foobar")).toMatch(/illegal base64 data/);
    expect(failure("crypto.x509.parse_certificates", Buffer.from("badstring").toString("base64"))).toMatch(/x509: malformed certificate/);
    expect(failure("crypto.x509.parse_certificates", pem(c.leaf, "PUBLIC KEY"))).toMatch(/PEM block type is 'PUBLIC KEY', expected CERTIFICATE/);
    expect(failure("crypto.x509.parse_certificates", 1)).toBe("eval_type_error: crypto.x509.parse_certificates: operand 1 must be string but got number");
  });

  test("parse_and_verify_certificates: a valid chain comes back leaf first", () => {
    const [ok, certs] = call("crypto.x509.parse_and_verify_certificates", bundle) as [boolean, Cert[]];
    expect(ok).toBe(true);
    expect(certs.map((x) => x.Subject.CommonName)).toEqual(["service.example.test", "Test Intermediate CA", "Test Root CA"]);
  });

  test("parse_and_verify_certificates: wrong order, foreign root, expired leaf and a single certificate fail", () => {
    const other = chain();
    expect(call("crypto.x509.parse_and_verify_certificates", pem(c.leaf) + pem(c.intermediate) + pem(c.root))).toEqual([false, []]);
    expect(call("crypto.x509.parse_and_verify_certificates", pem(other.root) + pem(c.intermediate) + pem(c.leaf))).toEqual([false, []]);
    expect(call("crypto.x509.parse_and_verify_certificates", pem(c.root))).toEqual([false, []]);
    expect(call("crypto.x509.parse_and_verify_certificates", "not a certificate")).toEqual([false, []]);
    const notCa = chain(Date.now(), "service.example.test", 30, false);
    expect(call("crypto.x509.parse_and_verify_certificates", pem(notCa.root) + pem(notCa.intermediate) + pem(notCa.leaf))).toEqual([false, []]);
    const old = chain(Date.now() - 400 * DAY, "old.example.test", 30);
    expect(call("crypto.x509.parse_and_verify_certificates", pem(old.root) + pem(old.intermediate) + pem(old.leaf))).toEqual([false, []]);
  });

  test("parse_and_verify_certificates_with_options: DNS name, time and key usages", () => {
    const fn = "crypto.x509.parse_and_verify_certificates_with_options";
    expect((call(fn, bundle, { DNSName: "service.example.test" }) as unknown[])[0]).toBe(true);
    expect((call(fn, bundle, { DNSName: "Service.Example.Test." }) as unknown[])[0]).toBe(true);
    expect((call(fn, bundle, { DNSName: "other.example.test" }) as unknown[])[0]).toBe(false);
    expect((call(fn, bundle, { DNSName: "10.0.0.1" }) as unknown[])[0]).toBe(false);
    expect((call(fn, bundle, { CurrentTime: (Date.now() + 60 * DAY) * 1e6 }) as unknown[])[0]).toBe(false);
    expect((call(fn, bundle, { KeyUsages: ["KeyUsageClientAuth"] }) as unknown[])[0]).toBe(true);
    expect((call(fn, bundle, { KeyUsages: ["KeyUsageCodeSigning"] }) as unknown[])[0]).toBe(false);
    expect(failure(fn, bundle, { KeyUsages: ["KeyUsageNope"] })).toMatch(/invalid entries for 'KeyUsages' found: \[KeyUsageNope\]/);
    expect(failure(fn, bundle, { Bogus: 1 })).toMatch(/invalid key option/);
    // as OPA: no URIStrings here, unlike parse_and_verify_certificates
    expect((call(fn, bundle, {}) as [boolean, Cert[]])[1][0]?.URIStrings).toBeUndefined();
  });

  test("parse_keypair: matching certificate and key, mismatch refused", () => {
    const keyPem = c.leafKey.export({ format: "pem", type: "pkcs8" }) as string;
    const pair = call("crypto.x509.parse_keypair", pem(c.leaf), keyPem) as { Certificate: string[]; Leaf: Cert };
    expect(pair.Certificate).toEqual([c.leaf.toString("base64")]);
    expect(pair.Leaf.Subject.CommonName).toBe("service.example.test");
    const b64 = (s: string): string => Buffer.from(s).toString("base64");
    expect((call("crypto.x509.parse_keypair", b64(pem(c.leaf)), b64(keyPem)) as { Certificate: string[] }).Certificate).toEqual(pair.Certificate);
    const stranger = ecKeys().privateKey.export({ format: "pem", type: "pkcs8" }) as string;
    expect(failure("crypto.x509.parse_keypair", pem(c.leaf), stranger)).toMatch(/private key does not match public key/);
  });

  test("parse_certificate_request: PEM, base64 of PEM and base64 of DER", () => {
    const der = buildCsr("csr.example.test", ["csr.example.test", "alt.example.test"], ecKeys());
    const text = pem(der, "CERTIFICATE REQUEST");
    for (const input of [text, Buffer.from(text).toString("base64"), der.toString("base64")]) {
      const csr = call("crypto.x509.parse_certificate_request", input) as Cert;
      expect(csr.Subject.CommonName).toBe("csr.example.test");
      expect(csr.Subject.Organization).toEqual(["Fleetward Test"]);
      expect(csr.DNSNames).toEqual(["csr.example.test", "alt.example.test"]);
      expect(csr.SignatureAlgorithm).toBe(10);
      expect(csr.Raw).toBe(der.toString("base64"));
    }
  });

  test("parse_certificate_request: not a request is Go's asn1 or base64 error", () => {
    expect(failure("crypto.x509.parse_certificate_request", Buffer.from("badstring").toString("base64"))).toMatch(/asn1: structure error/);
    expect(failure("crypto.x509.parse_certificate_request", "foobar")).toMatch(/illegal base64/);
    expect(failure("crypto.x509.parse_certificate_request", Buffer.from(pem(c.leaf)).toString("base64"))).toMatch(/invalid PEM-encoded certificate signing request/);
  });

  test("hostile PEM: thousands of BEGIN lines without END are read in linear time", () => {
    const started = performance.now();
    expect(call("crypto.x509.parse_certificates", "-----BEGIN CERTIFICATE-----\n".repeat(100_000))).toEqual([]);
    expect(call("crypto.parse_private_keys", "-----BEGIN PRIVATE KEY-----\nAAAA\n".repeat(50_000))).toEqual([]);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  test("IP address SANs as Go prints them", () => {
    const keys = ecKeys();
    const ips = [Buffer.from([10, 0, 0, 1]), Buffer.from("20010db8000000000000000000000001", "hex"), Buffer.from("00000000000000000000ffffc0a80001", "hex")];
    const der = buildCertificate({
      cn: "ip", serial: 9, notBefore: new Date(), notAfter: new Date(Date.now() + DAY), ca: false, ips, publicKey: keys.publicKey, signingKey: keys.privateKey,
    });
    expect((call("crypto.x509.parse_certificates", pem(der)) as Cert[])[0]?.IPAddresses).toEqual(["10.0.0.1", "2001:db8::1", "192.168.0.1"]);
  });

  test("a self-signed RSA certificate exposes its public key as Go's {N, E}", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const signer = ecKeys();
    const der = buildCertificate({
      cn: "rsa.example.test", serial: 7, notBefore: new Date(), notAfter: new Date(Date.now() + DAY), ca: false,
      publicKey: rsa.publicKey, signingKey: signer.privateKey,
    });
    const n = BigInt(`0x${Buffer.from(rsa.publicKey.export({ format: "jwk" }).n ?? "", "base64url").toString("hex")}`);
    const result = text(callRaw("crypto.x509.parse_certificates", pem(der)));
    expect(result).toContain(`"PublicKey":{"N":${n.toString()},"E":65537}`);
    expect(result).toContain('"PublicKeyAlgorithm":1');
  });
});
