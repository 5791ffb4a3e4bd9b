/**
 * A visit to the status page as a browser makes it: `/fleet/login` → the simulated GitHub's OAuth authorize page
 * (which approves as the user the simulator signs in) → `/fleet/callback` → `/fleet`, carrying the cookies each
 * answer sets. Redirects are followed by hand (at most 5) so the cookies travel with them.
 */

/** The HTML of `/fleet` after signing in, with the status of its answer. */
export async function visitStatusPage(appUrl: string, timeoutMs: number): Promise<{ status: number; html: string }> {
  const jar = new Map<string, string>();
  const get = async (url: string): Promise<Response> => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(timeoutMs) });
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(";")[0] ?? "";
      const eq = pair.indexOf("=");
      if (eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  };
  let url = `${appUrl}/fleet/login`;
  let res = await get(url);
  for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 5; hops++) {
    await res.body?.cancel();
    url = new URL(res.headers.get("location") ?? "", url).href;
    res = await get(url);
  }
  if (new URL(url).pathname !== "/fleet") {
    await res.body?.cancel();
    res = await get(`${appUrl}/fleet`);
  }
  return { status: res.status, html: await res.text() };
}
