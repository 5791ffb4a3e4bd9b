/**
 * `npm start` on a machine without credentials serves Probot's setup flow (the page that creates the
 * GitHub App from app.yml) and answers /healthz. Runs the real command, as a user would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { freePort } from "../helpers/free-port.js";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");


async function waitFor(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output()}`);
    try {
      return await fetch(url, { redirect: "manual" });
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms:\n${output()}`);
}

const hasDotEnv = existsSync(join(root, ".env"));
(hasDotEnv ? test.skip : test)("npm start without credentials serves the setup page and /healthz", async () => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", NO_SMEE_SETUP: "true", LOG_LEVEL: "warn" };
  delete env.APP_ID;
  delete env.PRIVATE_KEY;
  delete env.PRIVATE_KEY_PATH;
  delete env.NODE_ENV; // Probot refuses setup mode in production
  const child = spawn("npm", ["start"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  try {
    const first = await waitFor(`http://127.0.0.1:${port}/`, child, () => out, 150_000);
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe("/probot");
    const page = await fetch(`http://127.0.0.1:${port}/probot`);
    expect(page.status).toBe(200);
    const html = await page.text();
    // The setup page posts the manifest built from app.yml to GitHub's "create app from manifest" form.
    expect(html).toContain("github.com/settings/apps/new");
    expect(html).toContain("Fleetward");
    expect(html).toContain("pull_request_review");
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  } finally {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
  }
}, 180_000);
