import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { healthzRoute } from "../../src/app/routes/healthz.js";

test("healthz answers GET /healthz and passes other paths on", async () => {
  const server = createServer((req, res) => {
    if (!healthzRoute(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  try {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok" });
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`, { method: "POST" })).status).toBe(404);
  } finally {
    server.close();
  }
});
