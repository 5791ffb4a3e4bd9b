/**
 * OpenTelemetry traces, on only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: the SDK and the OTLP/HTTP exporter
 * (which posts JSON to `<endpoint>/v1/traces`) are imported then, so nothing of them is loaded when it is not.
 * Spans are made through `@opentelemetry/api`, whose tracer does nothing until an SDK is registered.
 */
import { SpanKind, SpanStatusCode, context, trace, type Attributes, type Span } from "@opentelemetry/api";

export interface TracingHandle {
  /** Exports the spans still buffered and stops the SDK. */
  shutdown(): Promise<void>;
}

export const TRACER_NAME = "fleetward";

export const tracer = () => trace.getTracer(TRACER_NAME);

let started: Promise<TracingHandle | null> | null = null;

/**
 * Starts the SDK once per process when `env.OTEL_EXPORTER_OTLP_ENDPOINT` is set (the exporter reads the other
 * `OTEL_EXPORTER_OTLP_*` variables itself); null otherwise. `OTEL_SERVICE_NAME` names the service (default
 * `fleetward`). A second call returns the first one's handle.
 */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<TracingHandle | null> {
  if (started) return started;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return null;
  started = (async () => {
    const [{ NodeSDK }, { OTLPTraceExporter }] = await Promise.all([import("@opentelemetry/sdk-node"), import("@opentelemetry/exporter-trace-otlp-http")]);
    const sdk = new NodeSDK({ serviceName: env.OTEL_SERVICE_NAME || "fleetward", traceExporter: new OTLPTraceExporter(), instrumentations: [] });
    sdk.start();
    return { shutdown: () => sdk.shutdown() };
  })();
  return started;
}

/** Exports the buffered spans and stops the SDK started by `startTracing` (nothing when none was). */
export async function stopTracing(): Promise<void> {
  const handle = await started;
  started = null;
  await handle?.shutdown();
}

/**
 * Runs `work` in a new span that is the active one meanwhile (spans started inside are its children): the span
 * ends when `work` settles, with an error status when it throws.
 */
export async function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span for work done elsewhere (the policy sandbox's worker), from `start` to `end` (epoch ms), under the active span. */
export function recordSpan(name: string, start: number, end: number, attributes: Attributes = {}): void {
  tracer().startSpan(name, { startTime: start, attributes }, context.active()).end(end);
}
