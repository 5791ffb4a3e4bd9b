/**
 * The names of the policy checks' check runs, in a module of their own: the app's main thread matches them on
 * "Re-run" without loading the planners (the Rego engine, the renderer), which run in the sandbox's workers.
 */
export const POLICY_CHECK_NAME = "fleetward/policy";
export const POLICY_TESTS_CHECK_NAME = "fleetward/policy-tests";
export const RENDER_CHECK_NAME = "fleetward/render";
