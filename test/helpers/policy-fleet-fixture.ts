/**
 * The fleet the policy check tests share: `dev` (policy findings only warn there) promoted into `prod`
 * (enforced). Tests append their own `policies:` and other top-level keys.
 */
export const DEV_WARN_PROD_FLEET = `environments:
  - name: dev
    paths: ["envs/dev/**"]
    settings: { policy: { enforcement: warn } }
  - name: prod
    paths: ["envs/prod/**"]
    promotedFrom: dev
`;
