import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readAlertFixture } from "../helpers/alert-fixtures.js";
import { parseAlertmanagerWebhook } from "../../src/rollback/alerts/parse-alertmanager-webhook.js";
import { parseGenericAlert } from "../../src/rollback/alerts/parse-generic-alert.js";
import { parseGrafanaWebhook } from "../../src/rollback/alerts/parse-grafana-webhook.js";
import { secretsEqual, verifyAlertCredentials, verifyGrafanaSignature } from "../../src/rollback/alerts/verify-alert-credentials.js";

const readShared = (name: string): unknown => readAlertFixture(name);

describe("Alertmanager v4", () => {
  test("the shared firing and resolved examples parse to the same group", () => {
    const firing = parseAlertmanagerWebhook(readShared("alertmanager-v4-slo-burn-firing.constructed.json"));
    const resolved = parseAlertmanagerWebhook(readShared("alertmanager-v4-slo-burn-resolved.constructed.json"));
    if (!firing.ok || !resolved.ok) throw new Error("expected both to parse");
    expect(firing.group.groupKey).toBe(resolved.group.groupKey);
    expect(firing.group.status).toBe("firing");
    expect(resolved.group.status).toBe("resolved");
    expect(firing.group.alerts[0]).toMatchObject({
      fingerprint: "3f1c0d9a2b7e4c11",
      endsAt: null,
      labels: expect.objectContaining({ cluster: "prod-eu-1", env: "production", sloth_severity: "page" }),
      generatorURL: expect.stringContaining("prometheus.example.com"),
    });
    expect(resolved.group.alerts[0]?.endsAt).toBe("2026-08-20T10:41:30.123Z");
  });

  const minimal = {
    version: "4",
    groupKey: "{}:{alertname=\"X\"}",
    status: "firing",
    receiver: "r",
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: "",
    alerts: [{ status: "firing", labels: { alertname: "X" }, startsAt: "2026-01-01T00:00:00Z", fingerprint: "f1" }],
  };

  test("unknown fields are ignored", () => {
    const r = parseAlertmanagerWebhook({ ...minimal, notification_reason: "x", somethingNew: { a: 1 } });
    expect(r.ok).toBe(true);
  });

  test.each([
    [{ ...minimal, version: "3" }, "version"],
    [{ ...minimal, status: "burning" }, "status"],
    [{ ...minimal, alerts: [] }, "alerts"],
    [{ ...minimal, alerts: [{ ...minimal.alerts[0], labels: { a: 1 } }] }, "alerts.0.labels.a"],
    [{ ...minimal, alerts: [{ ...minimal.alerts[0], startsAt: "yesterday" }] }, "alerts.0.startsAt"],
    [{ ...minimal, groupKey: undefined }, "groupKey"],
    ["not an object", "(body)"],
  ])("schema violations name the field (%#)", (body, field) => {
    const r = parseAlertmanagerWebhook(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.some((e) => e.startsWith(`${field}:`))).toBe(true);
  });
});

describe("Grafana and generic bodies", () => {
  test("Grafana: fingerprints and group keys are derived when missing", () => {
    const r = parseGrafanaWebhook({
      status: "firing",
      orgId: 1,
      groupLabels: { alertname: "Burn" },
      alerts: [{ status: "firing", labels: { alertname: "Burn", env: "prod" }, startsAt: "2026-01-01T00:00:00Z", endsAt: "0001-01-01T00:00:00Z", values: { B: 1 } }],
      title: "[FIRING:1]",
    });
    if (!r.ok) throw new Error(r.errors.join("; "));
    expect(r.group.groupKey).toBe('grafana:1:{alertname="Burn"}');
    expect(r.group.alerts[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(r.group.alerts[0]?.endsAt).toBeNull();
    // Same labels → same fingerprint, whatever their order.
    const again = parseGrafanaWebhook({ status: "firing", alerts: [{ status: "firing", labels: { env: "prod", alertname: "Burn" }, startsAt: "2026-01-01T00:00:00Z" }] });
    if (!again.ok) throw new Error("parse");
    expect(again.group.alerts[0]?.fingerprint).toBe(r.group.alerts[0]?.fingerprint);
  });

  test("generic: shared labels overlay per-alert labels; status follows the alerts", () => {
    const r = parseGenericAlert({
      status: "resolved",
      labels: { alertname: "Burn", env: "prod" },
      alerts: [
        { labels: { cluster: "a" }, startsAt: "2026-01-01T00:00:00Z", status: "firing" },
        { labels: { cluster: "b" }, startsAt: "2026-01-01T00:00:00Z" },
      ],
    });
    if (!r.ok) throw new Error(r.errors.join("; "));
    expect(r.group.status).toBe("firing");
    expect(r.group.alerts.map((a) => [a.labels.cluster, a.labels.env, a.status])).toEqual([
      ["a", "prod", "firing"],
      ["b", "prod", "resolved"],
    ]);
    expect(r.group.groupKey).toBe('generic:{alertname="Burn", env="prod"}');
  });

  test("generic: the example documented in docs/rollback.md parses as the documentation says", () => {
    const doc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "rollback.md"), "utf8");
    const example = /<!-- generic-alert-example -->\n```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    if (example === undefined) throw new Error("docs/rollback.md lost its generic alert example");
    const r = parseGenericAlert(JSON.parse(example));
    if (!r.ok) throw new Error(r.errors.join("; "));
    expect(r.group).toMatchObject({ source: "generic", groupKey: "checkout-slo", status: "firing", externalURL: "https://monitoring.example.com" });
    expect(r.group.alerts.map((a) => [a.labels.cluster, a.labels.app, a.status, a.endsAt, a.annotations.runbook_url])).toEqual([
      ["prod-eu-1", "checkout", "firing", null, "https://runbooks.example.com/checkout"],
      ["prod-us-1", "checkout", "resolved", "2026-08-20T10:20:00Z", "https://runbooks.example.com/checkout"],
    ]);
    expect(r.group.alerts[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(r.group.alerts[1]?.fingerprint).toBe("us-1");
    // Without a groupKey: the shared labels in Alertmanager's form.
    const keyless = parseGenericAlert({ ...(JSON.parse(example) as object), groupKey: undefined });
    expect(keyless.ok && keyless.group.groupKey).toBe('generic:{alertname="CheckoutHighErrorRate", app="checkout", env="prod"}');
  });

  test("generic: an alert with no labels at all is refused", () => {
    const r = parseGenericAlert({ status: "firing", alerts: [{ startsAt: "2026-01-01T00:00:00Z" }] });
    expect(r.ok).toBe(false);
  });
});

describe("credentials", () => {
  test("bearer and basic credentials, constant-time comparison", () => {
    const creds = { bearerToken: "s3cret", basicAuth: "am:pa:ss" };
    expect(verifyAlertCredentials("Bearer s3cret", creds)).toBe(true);
    expect(verifyAlertCredentials("bearer s3cret", creds)).toBe(true);
    expect(verifyAlertCredentials("Bearer s3cret2", creds)).toBe(false);
    expect(verifyAlertCredentials("Bearer", creds)).toBe(false);
    expect(verifyAlertCredentials(undefined, creds)).toBe(false);
    const basic = "Basic " + Buffer.from("am:pa:ss").toString("base64");
    expect(verifyAlertCredentials(basic, creds)).toBe(true);
    expect(verifyAlertCredentials("Basic " + Buffer.from("am:wrong").toString("base64"), creds)).toBe(false);
    // A scheme that is not configured is refused even with the right secret.
    expect(verifyAlertCredentials(basic, { bearerToken: "s3cret" })).toBe(false);
    expect(verifyAlertCredentials("Bearer s3cret", {})).toBe(false);
    expect(secretsEqual("a", "a")).toBe(true);
    expect(secretsEqual("a", "ab")).toBe(false);
  });

  test("Grafana signatures, with and without a timestamp", () => {
    const body = Buffer.from('{"status":"firing"}');
    const sig = createHmac("sha256", "k").update(body).digest("hex");
    expect(verifyGrafanaSignature({ body, signature: sig, secret: "k" })).toBe(true);
    expect(verifyGrafanaSignature({ body, signature: sig, secret: "other" })).toBe(false);
    expect(verifyGrafanaSignature({ body: Buffer.from("{}"), signature: sig, secret: "k" })).toBe(false);
    expect(verifyGrafanaSignature({ body, signature: undefined, secret: "k" })).toBe(false);
    expect(verifyGrafanaSignature({ body, signature: "zz", secret: "k" })).toBe(false);
    const now = Date.parse("2026-11-26T12:00:00Z");
    const ts = String(now / 1000);
    const tsSig = createHmac("sha256", "k").update(`${ts}:`).update(body).digest("hex");
    expect(verifyGrafanaSignature({ body, signature: tsSig, timestamp: ts, secret: "k", now })).toBe(true);
    expect(verifyGrafanaSignature({ body, signature: tsSig, timestamp: ts, secret: "k", now: now + 10 * 60_000 })).toBe(false);
    expect(verifyGrafanaSignature({ body, signature: sig, timestamp: ts, secret: "k", now })).toBe(false);
  });
});
