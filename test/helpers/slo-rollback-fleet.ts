/**
 * The fleet of the SLO rollback tests: dev → staging → prod with two prod clusters, automatic promotions without a
 * policy gate, and a rollback rule for Sloth's paging alerts (the shared Alertmanager bodies in test/fixtures/alerts
 * carry `sloth_severity=page`, `env=production`, `cluster`, `sloth_service`).
 */

/** The rollback rule for Sloth's paging alerts and automatic promotions without a policy gate: the config's tail. */
export const SLO_ROLLBACK_RULES = `rollback:
  rules:
    - name: slo-pages
      match: ["sloth_severity=page"]
      environment: { label: env, map: { production: prod } }
      cluster: { label: cluster, optional: true }
      component: { label: sloth_service, optional: true }
settings:
  promotion:
    mode: auto
    gates:
      policyCheck: ""
`;

export const SLO_ROLLBACK_CONFIG = `environments:
  - name: dev
    paths: ["envs/dev/**"]
    settings: { rollback: { autoMerge: true } }
  - name: staging
    paths: ["envs/staging/**"]
    promotedFrom: dev
  - name: prod
    paths: ["envs/prod/**"]
    promotedFrom: staging
clusters:
  - name: prod-eu-1
    environment: prod
    paths: ["clusters/prod-eu-1/**"]
  - name: prod-us-1
    environment: prod
    paths: ["clusters/prod-us-1/**"]
` + SLO_ROLLBACK_RULES;
