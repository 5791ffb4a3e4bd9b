/** A TCP port on 127.0.0.1 that was free a moment ago (the simulator's helper, shared with the demo). */
export { freePort } from "../../src/simulator/app-server-env.js";
