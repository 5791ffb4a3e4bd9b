// Module resolution hook for lazy-compiler.test.ts: appends every resolved module URL to $FLEETWARD_TRACE_MODULES.
import { appendFileSync } from "node:fs";

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.FLEETWARD_TRACE_MODULES, `${resolved.url}\n`);
  return resolved;
}
