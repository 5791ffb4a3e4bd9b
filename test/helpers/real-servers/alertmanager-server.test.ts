/** The Alertmanager harness against the real binary: unpeered, delivers with the bearer token, retries a 503, resolves. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startAlertmanager, sumSamples, type AlertmanagerServer } from "./alertmanager-server.js";
import { startFaultProxy, type FaultProxy } from "./fault-proxy.js";
import { pollUntil } from "./poll-until.js";
import { withServerLogs } from "./real-process.js";

describe("real Alertmanager harness", () => {
  let receiver: Server;
  const received: { auth: string | undefined; body: { status: string; alerts: { labels: Record<string, string> }[] } }[] = [];
  let proxy: FaultProxy;
  let am: AlertmanagerServer | undefined;
  const logs = () => (am ? [am] : []);

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let text = "";
      req.on("data", (d: Buffer) => (text += d.toString()));
      req.on("end", () => {
        received.push({ auth: req.headers.authorization, body: JSON.parse(text) as (typeof received)[number]["body"] });
        res.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    proxy = await startFaultProxy(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}`);
    am = await startAlertmanager({ webhookUrl: `${proxy.url}/hook`, bearerToken: "t0ken" });
  }, 30_000);

  afterAll(async () => {
    await am?.stop();
    await proxy.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const post = (endsAt?: string) =>
    fetch(`${am!.url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ labels: { alertname: "Burn", env: "production" }, startsAt: new Date(Date.now() - 1_000).toISOString(), ...(endsAt ? { endsAt } : {}) }]),
    });

  it("is not peered, delivers with the bearer token after retrying an injected 503, then sends the resolution", () =>
    withServerLogs(logs, async () => {
      const status = (await (await fetch(`${am!.url}/api/v2/status`)).json()) as { cluster: { status: string } };
      expect(status.cluster.status).toBe("disabled");
      proxy.failNext(1, 503);
      expect((await post()).status).toBe(200);
      await pollUntil("the webhook is delivered", async () => (received.length > 0 ? true : undefined), 20_000);
      expect(proxy.requests.map((r) => [r.path, r.status, r.injected])).toEqual([["/hook", 503, true], ["/hook", 200, false]]);
      expect(received[0]).toMatchObject({ auth: "Bearer t0ken", body: { status: "firing", alerts: [{ labels: { alertname: "Burn", env: "production" } }] } });
      expect(await am!.metric("alertmanager_notification_requests_failed_total", { integration: "webhook" })).toBe(1);
      expect((await post(new Date().toISOString())).status).toBe(200);
      const resolved = await pollUntil("the resolution is delivered", async () => received.find((r) => r.body.status === "resolved"), 20_000);
      expect(resolved.auth).toBe("Bearer t0ken");
    }), 60_000);

  it("sums exposition samples by label", () => {
    const text = 'a_total{integration="webhook",x="1"} 2\na_total{integration="email"} 5\na_total{integration="webhook"} 3\nab_total 9\n';
    expect(sumSamples(text, "a_total", { integration: "webhook" })).toBe(5);
    expect(sumSamples(text, "a_total")).toBe(10);
    expect(sumSamples(text, "missing")).toBe(0);
  });
});
