/**
 * Which coordinator an app instance uses. The app function makes one per Probot instance (src/app/index.ts) and
 * attaches it here, and passes it down itself to what it starts (handlers, routes, the periodic jobs); the server
 * around it (src/app/server.ts) looks it up to record deliveries that fail after their answer and to close it on
 * shutdown. Keyed weakly: an app instance that is gone takes its entry with it.
 */
import type { Coordinator } from "./coordinator.js";

const byOwner = new WeakMap<object, Coordinator>();

/** Makes `coordinator` the one of `owner` (a Probot instance, or the server that runs it). */
export function attachCoordinator(owner: object, coordinator: Coordinator): void {
  byOwner.set(owner, coordinator);
}

/** The coordinator attached to `owner`, if any. */
export function coordinatorOf(owner: object): Coordinator | undefined {
  return byOwner.get(owner);
}
