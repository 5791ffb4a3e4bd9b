export * from "./bundle-policy-types.js";
export { prepareBundlePolicy, type PreparedBundlePolicy } from "./prepare-bundle-policy.js";
export { evaluateBundlePolicy } from "./evaluate-bundle-policy.js";
