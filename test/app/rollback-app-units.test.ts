/** The app-side pieces of the rollback that need no GitHub: settings from the environment, failure classes. */
import { DEFAULT_MAX_ALERT_BODY_BYTES, readAlertSettings } from "../../src/app/rollback/alert-settings.js";
import { isTransientFailure } from "../../src/app/routes/send-failure.js";

test("readAlertSettings: empty values are unset; the body cap defaults to 1 MiB and refuses nonsense", () => {
  expect(readAlertSettings({ ALERTS_BEARER_TOKEN: " ", ALERTS_BASIC_AUTH: "", GRAFANA_WEBHOOK_SECRET: "" })).toEqual({
    credentials: {},
    grafanaSecret: null,
    grafanaTimestampHeader: null,
    maxBodyBytes: DEFAULT_MAX_ALERT_BODY_BYTES,
  });
  expect(
    readAlertSettings({ ALERTS_BEARER_TOKEN: "t", ALERTS_BASIC_AUTH: "u:p", GRAFANA_WEBHOOK_SECRET: "s", GRAFANA_WEBHOOK_TIMESTAMP_HEADER: "X-TS", ALERTS_MAX_BODY_BYTES: "2048" }),
  ).toEqual({ credentials: { bearerToken: "t", basicAuth: "u:p" }, grafanaSecret: "s", grafanaTimestampHeader: "x-ts", maxBodyBytes: 2048 });
  expect(readAlertSettings({ ALERTS_MAX_BODY_BYTES: "-1" }).maxBodyBytes).toBe(DEFAULT_MAX_ALERT_BODY_BYTES);
  expect(readAlertSettings({ ALERTS_MAX_BODY_BYTES: "1.5" }).maxBodyBytes).toBe(DEFAULT_MAX_ALERT_BODY_BYTES);
});

test("isTransientFailure: GitHub 5xx, 429, rate-limited 403 and network errors are worth a retry; other 4xx are not", () => {
  const http = (status: number, message = "x") => Object.assign(new Error(message), { status });
  expect(isTransientFailure(http(502))).toBe(true);
  expect(isTransientFailure(http(429))).toBe(true);
  expect(isTransientFailure(http(403, "API rate limit exceeded for installation"))).toBe(true);
  expect(isTransientFailure(new Error("connect ECONNREFUSED"))).toBe(true);
  expect(isTransientFailure(http(403, "Resource not accessible by integration"))).toBe(false);
  expect(isTransientFailure(http(404))).toBe(false);
  expect(isTransientFailure(http(422))).toBe(false);
});
