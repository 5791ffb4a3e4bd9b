/**
 * Traces off (no OTEL_EXPORTER_OTLP_ENDPOINT): the OpenTelemetry SDK and exporter modules are never imported, and
 * spans cost nothing (non-recording). With the variable set, startTracing imports them.
 */
import { jest } from "@jest/globals";

const imported: string[] = [];
const shutdown = jest.fn(async () => {});
jest.unstable_mockModule("@opentelemetry/sdk-node", () => {
  imported.push("sdk-node");
  return { NodeSDK: class { start() {} shutdown = shutdown; } };
});
jest.unstable_mockModule("@opentelemetry/exporter-trace-otlp-http", () => {
  imported.push("exporter");
  return { OTLPTraceExporter: class {} };
});

const { startTracing, stopTracing, inSpan } = await import("../../../src/app/observability/tracing.js");

test("off by default: nothing imported, spans are not recording; on with the endpoint: both imported once", async () => {
  expect(await startTracing({})).toBeNull();
  expect(await inSpan("work", {}, async (span) => span.isRecording())).toBe(false);
  expect(imported).toEqual([]);
  const handle = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:1" });
  expect(handle).not.toBeNull();
  expect(await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:1" })).toBe(handle);
  expect(imported.sort()).toEqual(["exporter", "sdk-node"]);
  await stopTracing();
  expect(shutdown).toHaveBeenCalledTimes(1);
});
