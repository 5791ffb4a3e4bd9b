/**
 * Policies shared by the bundle and inventory tests of the pull request check: a Rego module built into an OPA
 * bundle (Conftest-style and Gatekeeper-style entrypoints), and a uniqueness ConstraintTemplate that reads
 * `data.inventory` (an Ingress host used by another Ingress of the repository is denied).
 */
import { buildBundle } from "../../src/rego/bundle/build-bundle.js";

/** Conftest style: `main/deny` (a Deployment must run as non-root, located at the pod spec), `main/labels` (no deny/warn name). */
export const CONFTEST_MODULE = `package main

deny contains {"msg": msg, "path": "spec.template.spec"} if {
  input.kind == "Deployment"
  not input.spec.template.spec.securityContext.runAsNonRoot
  msg := sprintf("%s must run as non-root", [input.metadata.name])
}

labels contains msg if {
  not input.metadata.labels.team
  msg := sprintf("%s has no team label", [input.metadata.name])
}
`;

/** Gatekeeper style: `k8s/images/violation`, images must start with one of `input.parameters.repos`. */
export const GATEKEEPER_MODULE = `package k8s.images

violation contains {"msg": msg, "details": {"path": sprintf("spec.template.spec.containers[%d].image", [i])}} if {
  some i, c in input.review.object.spec.template.spec.containers
  not startswith_any(c.image, input.parameters.repos)
  msg := sprintf("image %s is not from an approved registry", [c.image])
}

startswith_any(s, prefixes) if {
  some p in prefixes
  startswith(s, p)
}
`;

export const BUNDLE_ENTRYPOINTS = ["main/deny", "main/labels", "k8s/images/violation"];

/** The bundle `fleetward build` makes from the two modules, with the entrypoints above (a revision changes the bytes). */
export function policyBundle(revision?: string): Uint8Array {
  const built = buildBundle({
    modules: [
      { file: "policy/main.rego", text: CONFTEST_MODULE },
      { file: "policy/images.rego", text: GATEKEEPER_MODULE },
    ],
    dataFiles: [],
    entrypoints: BUNDLE_ENTRYPOINTS,
    ...(revision !== undefined ? { revision } : {}),
  });
  if (built.bundle === undefined) throw new Error(`bundle not built: ${JSON.stringify([built.diagnostics, built.errors])}`);
  return built.bundle;
}

/** The `policies.bundles` entry for that bundle at `path`. */
export const bundlesConfig = (path: string) => `  bundles:
    - path: ${path}
      entrypoints:
        - { entrypoint: main/deny, style: conftest }
        - { entrypoint: main/labels, style: conftest, severity: warning }
        - { entrypoint: k8s/images/violation, style: gatekeeper, parameters: { repos: ["registry.example.com/"] } }
`;

export const deployment = (name: string, image: string, extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: { team: web }
spec:
  template:
    spec:${extra}
      containers:
        - name: main
          image: ${image}
`;

export const UNIQUE_HOST_TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8suniqueingresshost
spec:
  crd:
    spec:
      names:
        kind: K8sUniqueIngressHost
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: Rego
          source:
            version: "v1"
            rego: |
              package k8suniqueingresshost

              violation contains {"msg": msg} if {
                input.review.object.kind == "Ingress"
                some rule in input.review.object.spec.rules
                some ns, name
                other := data.inventory.namespace[ns]["networking.k8s.io/v1"].Ingress[name]
                not same(other, input.review.object)
                some r in other.spec.rules
                r.host == rule.host
                msg := sprintf("host %v is already used by ingress %v/%v", [rule.host, ns, name])
              }

              same(a, b) if {
                a.metadata.namespace == b.metadata.namespace
                a.metadata.name == b.metadata.name
              }
`;

export const UNIQUE_HOST_CONSTRAINT = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sUniqueIngressHost
metadata:
  name: unique-ingress-host
spec:
  match:
    kinds:
      - apiGroups: ["networking.k8s.io"]
        kinds: ["Ingress"]
`;

export const ingress = (name: string, host: string, namespace = "web") => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  rules:
    - host: ${host}
`;
