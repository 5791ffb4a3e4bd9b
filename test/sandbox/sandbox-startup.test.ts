/** A bad sandbox limit in the environment stops the server's start with the variable's name (not the first check). */
import type { Server } from "probot";
import { startServer } from "../../src/app/server.js";
import { freePort } from "../helpers/free-port.js";

const KEYS = ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "PORT", "HOST", "FLEETWARD_SANDBOX_WORKERS"] as const;

test("FLEETWARD_SANDBOX_WORKERS=zero refuses to start, naming the variable", async () => {
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  for (const k of KEYS) delete process.env[k];
  Object.assign(process.env, { FLEETWARD_SANDBOX_WORKERS: "zero", HOST: "127.0.0.1", PORT: String(await freePort()) });
  let server: Server | undefined;
  try {
    await expect(startServer().then((s) => (server = s))).rejects.toThrow(/^FLEETWARD_SANDBOX_WORKERS: expected an integer from 1 to 64, got "zero"/);
  } finally {
    await server?.stop();
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
});
