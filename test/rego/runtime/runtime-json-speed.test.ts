import { performance } from "node:perf_hooks";
import { RuntimeInstance } from "../../../src/rego/runtime/runtime-instance.js";
import { ensureRuntimeBuilt } from "./ensure-runtime-built.js";
import { prng } from "./decimal.js";

ensureRuntimeBuilt();

/** ~1 MB of Kubernetes-manifest-like JSON (deterministic). */
function manifestDocument(targetBytes: number): unknown[] {
  const next = prng(2024);
  const items: unknown[] = [];
  let size = 0;
  for (let i = 0; size < targetBytes; i++) {
    const item = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: `svc-${i}`, namespace: `team-${i % 17}`, labels: { app: `svc-${i}`, tier: i % 2 ? "web" : "worker", "fleetward.io/env": "prod" } },
      spec: {
        replicas: 1 + Math.floor(next() * 10),
        template: {
          spec: {
            containers: [
              {
                name: "main",
                image: `registry.example.com/svc-${i}:${Math.floor(next() * 1000)}`,
                resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: 0.25, memory: 134217728 } },
                env: [{ name: "RATIO", value: String(next()) }, { name: "UNICODE", value: "héllo wörld ✓" }],
                ports: [{ containerPort: 8080 + (i % 5), protocol: "TCP" }],
              },
            ],
          },
        },
      },
    };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return items;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

describe("JSON parse speed (1 MB document)", () => {
  it("parses and dumps 1 MB exactly, and reports timings against JSON.parse", () => {
    const doc = manifestDocument(1024 * 1024);
    const text = JSON.stringify(doc);
    const bytes = new TextEncoder().encode(text);
    const rt = RuntimeInstance.create();
    const base = rt.exports.opa_heap_ptr_get();
    const wasmMs: number[] = [];
    const jsMs: number[] = [];
    let value = 0;
    for (let round = 0; round < 5; round++) {
      rt.exports.opa_heap_ptr_set(base);
      const addr = rt.writeBytes(bytes);
      let t = performance.now();
      value = rt.exports.opa_json_parse(addr, bytes.byteLength);
      wasmMs.push(performance.now() - t);
      t = performance.now();
      JSON.parse(text);
      jsMs.push(performance.now() - t);
    }
    expect(value).not.toBe(0);
    const heapBytes = rt.exports.opa_heap_ptr_get() - base;
    const afterParse = rt.exports.opa_heap_ptr_get();
    const dumpMs: number[] = [];
    let dumpAddr = 0;
    for (let round = 0; round < 5; round++) {
      rt.exports.opa_heap_ptr_set(afterParse);
      const t = performance.now();
      dumpAddr = rt.exports.opa_json_dump(value);
      dumpMs.push(performance.now() - t);
    }
    expect(JSON.parse(rt.readCString(dumpAddr))).toEqual(doc);
    process.stdout.write(
      `[runtime-json-speed] ${bytes.byteLength} bytes: opa_json_parse median ${median(wasmMs).toFixed(1)} ms, ` +
        `JSON.parse median ${median(jsMs).toFixed(1)} ms, opa_json_dump median ${median(dumpMs).toFixed(1)} ms, heap used by the parsed value ${heapBytes} bytes (incl. the 1 MB text)\n`,
    );
    // Generous bound for a shared CI machine: the parser must stay linear and fast.
    expect(median(wasmMs)).toBeLessThan(1000);
  });
});
