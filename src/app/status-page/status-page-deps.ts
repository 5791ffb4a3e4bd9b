/** What the status page routes share: settings, log, clock, and how one repository's status is read. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { FleetStatus } from "../../promotion/fleet-status/fleet-status-types.js";
import type { VisibleRepository } from "./github-user-api.js";
import { PAGE_HEADERS } from "./page-layout.js";
import { renderDisabledPage } from "./render-pages.js";
import type { StatusPageConfig } from "./status-page-settings.js";

export interface StatusPageDeps {
  config: StatusPageConfig;
  log: Logger;
  now: () => Date;
  /** The status of one repository, read with the app's installation (cached briefly by the caller). */
  loadStatus: (repo: VisibleRepository) => Promise<FleetStatus>;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export function sendHtml(res: ServerResponse, status: number, body: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...PAGE_HEADERS, "content-length": String(Buffer.byteLength(body)), ...headers });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

/** The page when the status page is off (503, saying how to turn it on); true, for route handlers. */
export function sendDisabled(res: ServerResponse, problems: string[]): true {
  sendHtml(res, 503, renderDisabledPage(problems));
  return true;
}

export function redirect(res: ServerResponse, location: string, cookies: string[] = []): void {
  const headers: Record<string, string | string[]> = { location, "cache-control": "no-store", "referrer-policy": "no-referrer" };
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(303, headers);
  res.end();
}

/** The request's path, and its query. */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? "/", "http://localhost");
}
