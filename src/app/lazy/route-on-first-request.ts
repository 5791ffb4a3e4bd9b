/**
 * Issue 17: an HTTP route whose module loads on the first request to its path, not at start. Other paths are passed
 * on (false) without loading anything; the loaded route still checks the path and method itself.
 */
import type { RouteHandler } from "../routes/alert-route.js";
import { importInTurn } from "./import-in-turn.js";

export function routeOnFirstRequest(path: string, load: () => Promise<RouteHandler>): RouteHandler {
  let route: Promise<RouteHandler> | undefined;
  return async (req, res) => {
    if ((req.url ?? "").split("?")[0] !== path) return false;
    route ??= importInTurn(load);
    return (await route)(req, res);
  };
}
