/**
 * `net.lookup_ip_addr(name)`: the IP addresses of a host name (a set of strings), as OPA's Go resolver gives them;
 * an IP address is its own answer. Effectful: the app refuses policies that call it (see docs/security.md); the CLI
 * runs it. One answer per name and query.
 */
import { isIP } from "node:net";
import { str, type HostBuiltinFamily } from "./operands.js";
import { queryCached } from "./query-scope.js";
import { RegoSet } from "./rego-set.js";
import { callSync } from "./sync-call.js";

const LOOKUP = `async (name) => (await require("node:dns").promises.lookup(name, { all: true, verbatim: true })).map((a) => a.address)`;

export const netLookupBuiltins: HostBuiltinFamily = {
  "net.lookup_ip_addr": (name) => {
    const host = str("net.lookup_ip_addr", 0, name);
    if (isIP(host) !== 0) return new RegoSet([host]);
    return new RegoSet(queryCached(`net.lookup_ip_addr\u0000${host}`, () => callSync<string[]>("net.lookup_ip_addr", LOOKUP, host, 10_000)));
  },
};
