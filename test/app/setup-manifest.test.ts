/**
 * The app manifest of the setup flow: its webhook goes to WEBHOOK_PROXY_URL (smee) or PUBLIC_URL, never to the
 * setup page's localhost address; without either the webhook is created inactive; the OAuth callback follows
 * PUBLIC_URL. Checked on the function and on the page `npm start` serves without credentials (in process).
 */
import type { Server } from "probot";
import { UNSET_WEBHOOK_URL, adjustSetupManifest, manifestHook } from "../../src/app/setup-manifest.js";
import { StartupError, startServer } from "../../src/app/server.js";
import { freePort } from "../helpers/free-port.js";

const PROBOT_MANIFEST = JSON.stringify({ name: "fleetward", hook_attributes: { url: "http://localhost:3000/" }, callback_urls: ["http://localhost:3000/fleet/callback"], default_events: ["push"] });

describe("manifestHook", () => {
  test("a smee channel wins; PUBLIC_URL + the webhook path otherwise; trailing slashes dropped", () => {
    expect(manifestHook({ WEBHOOK_PROXY_URL: "https://smee.io/abc", PUBLIC_URL: "https://fw.example.com" }).hook).toEqual({ url: "https://smee.io/abc", active: true });
    expect(manifestHook({ PUBLIC_URL: "https://fw.example.com/" }).hook).toEqual({ url: "https://fw.example.com/api/github/webhooks", active: true });
    expect(manifestHook({ PUBLIC_URL: "https://fw.example.com", WEBHOOK_PATH: "/hooks" }).hook.url).toBe("https://fw.example.com/hooks");
    expect(manifestHook({ PUBLIC_URL: "https://fw.example.com" }).callbackUrls).toEqual(["https://fw.example.com/fleet/callback"]);
  });

  test("neither set: an inactive webhook with a placeholder that says what to set, and a warning", () => {
    const none = manifestHook({});
    expect(none.hook).toEqual({ url: UNSET_WEBHOOK_URL, active: false });
    expect(none.hook.url).not.toMatch(/localhost/);
    expect(none.warning).toMatch(/PUBLIC_URL.*WEBHOOK_PROXY_URL/);
    expect(none.callbackUrls).toBeUndefined();
  });

  test("a URL that is not http(s) is refused, naming the variable", () => {
    expect(() => manifestHook({ PUBLIC_URL: "fleetward.example.com" })).toThrow(/PUBLIC_URL must be an http\(s\) URL/);
    expect(() => manifestHook({ WEBHOOK_PROXY_URL: "ftp://smee.io/x" })).toThrow(/WEBHOOK_PROXY_URL must be an http\(s\) URL/);
  });

  test("adjustSetupManifest replaces Probot's hook and callbacks and keeps the rest", () => {
    const out = JSON.parse(adjustSetupManifest(PROBOT_MANIFEST, { PUBLIC_URL: "https://fw.example.com" })) as Record<string, unknown>;
    expect(out).toEqual({ name: "fleetward", hook_attributes: { url: "https://fw.example.com/api/github/webhooks", active: true }, callback_urls: ["https://fw.example.com/fleet/callback"], default_events: ["push"] });
  });
});

describe("the setup page's manifest", () => {
  const KEYS = ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "PUBLIC_URL", "WEBHOOK_PROXY_URL", "NO_SMEE_SETUP", "PORT", "HOST", "LOG_LEVEL"];
  let saved: Map<string, string | undefined>;
  let server: Server | undefined;

  beforeEach(() => {
    saved = new Map(KEYS.map((k) => [k, process.env[k]]));
    for (const k of ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_PROXY_URL"]) delete process.env[k];
    Object.assign(process.env, { NO_SMEE_SETUP: "true", HOST: "127.0.0.1", LOG_LEVEL: "silent" });
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  async function manifestServed(): Promise<Record<string, unknown>> {
    const port = await freePort();
    process.env.PORT = String(port);
    server = await startServer();
    const html = await (await fetch(`http://127.0.0.1:${port}/probot`)).text();
    const value = /name="manifest" id="manifest" value='([^']*)'/.exec(html)?.[1];
    if (value === undefined) throw new Error(`no manifest in the setup page:\n${html.slice(0, 500)}`);
    return JSON.parse(value) as Record<string, unknown>;
  }

  test("with PUBLIC_URL the app's webhook and OAuth callback point there; app.yml's events are kept", async () => {
    process.env.PUBLIC_URL = "https://fleetward.example.com";
    const manifest = await manifestServed();
    expect(manifest.hook_attributes).toEqual({ url: "https://fleetward.example.com/api/github/webhooks", active: true });
    expect(manifest.callback_urls).toEqual(["https://fleetward.example.com/fleet/callback"]);
    expect(manifest.default_events).toEqual(expect.arrayContaining(["pull_request", "push"]));
  });

  test("without PUBLIC_URL and WEBHOOK_PROXY_URL the webhook is inactive, never localhost", async () => {
    delete process.env.PUBLIC_URL;
    const manifest = await manifestServed();
    expect(manifest.hook_attributes).toEqual({ url: UNSET_WEBHOOK_URL, active: false });
  });

  test("a PUBLIC_URL that is not a URL stops the start with its name", async () => {
    process.env.PUBLIC_URL = "fleetward.example.com";
    await expect(startServer()).rejects.toThrow(StartupError);
    await expect(startServer()).rejects.toThrow(/PUBLIC_URL must be an http\(s\) URL/);
  });
});
