/**
 * Templates for name references (namePrefix/nameSuffix and generator hash suffixes followed into every referencing
 * field), the namespace transformer (incl. subjects and cluster-scoped kinds) and labels on selectors.
 */
const REFERENCING = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      serviceAccountName: runner
      imagePullSecrets: [{name: pull}]
      containers:
      - name: db
        image: postgres:16
        envFrom: [{secretRef: {name: creds}}, {configMapRef: {name: settings}}]
        env:
        - name: X
          valueFrom: {configMapKeyRef: {name: settings, key: x}}
      volumes:
      - {name: s, secret: {secretName: creds}}
      - name: p
        projected:
          sources:
          - configMap: {name: settings}
          - secret: {name: creds}
      - {name: d, persistentVolumeClaim: {claimName: data}}
  volumeClaimTemplates:
  - metadata: {name: wal, labels: {app: db}}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          serviceAccountName: runner
          containers:
          - name: b
            image: backup:1
            env:
            - name: P
              valueFrom: {secretKeyRef: {name: creds, key: password}}
---
apiVersion: v1
kind: Service
metadata: {name: db, labels: {app: db}}
spec: {selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: db-admin}
spec:
  tls: [{hosts: [admin.example.com], secretName: creds}]
  defaultBackend: {service: {name: db, port: {number: 5432}}}
  rules:
  - host: admin.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: db, port: {number: 5432}}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: runner}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: ServiceAccount, name: runner}
- {kind: ServiceAccount, name: runner, namespace: elsewhere}
- {kind: User, name: runner}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: runner-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: viewer}
subjects:
- {kind: ServiceAccount, name: runner, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules: [{apiGroups: [""], resources: [secrets], resourceNames: [creds], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: viewer}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: runner}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: db}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}
  minReplicas: 1
  maxReplicas: 3
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: db}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: db-hook}
webhooks:
- name: db.example.com
  clientConfig: {service: {name: db, namespace: default, path: /validate}}
  admissionReviewVersions: [v1]
  sideEffects: None
---
apiVersion: v1
kind: Namespace
metadata: {name: data}
`;

const GENERATED = `configMapGenerator:
- name: settings
  literals: [x=1]
secretGenerator:
- name: creds
  literals: [password=secret]
- name: pull
  type: kubernetes.io/dockerconfigjson
  literals: ['.dockerconfigjson={"auths":{}}']
`;

const NAMING = {
  "prefix": "namePrefix: p-\n",
  "suffix": "nameSuffix: -s\n",
  "prefix-suffix-namespace": "namePrefix: p-\nnameSuffix: -s\nnamespace: prod\n",
  "namespace-only": "namespace: prod\n",
  "common-labels": "commonLabels: {env: prod, app.kubernetes.io/name: db}\n",
  "labels-no-selectors": "labels:\n- pairs: {env: prod}\n",
  "labels-templates": "labels:\n- pairs: {env: prod}\n  includeTemplates: true\n",
  "labels-selectors": "labels:\n- pairs: {env: prod}\n  includeSelectors: true\n",
  "annotations": "commonAnnotations: {team: data, 'multi': \"a\\nb\"}\n",
};

export function namingTemplates() {
  const out = [];
  for (const [m, k] of Object.entries(NAMING)) {
    for (const gen of [false, true]) {
      if (gen && !["prefix", "prefix-suffix-namespace"].includes(m)) continue;
      const files = { "base/all.yaml": REFERENCING, "base/kustomization.yaml": `resources: [all.yaml]\n${gen ? GENERATED : ""}`, "overlay/kustomization.yaml": `resources: [../base]\n${k}` };
      out.push({ name: `naming-${m}${gen ? "-generated" : ""}`, features: ["name-references", m, ...(gen ? ["generators"] : [])], run: "overlay", files });
    }
  }
  out.push({
    name: "naming-two-prefixes",
    features: ["name-references", "prefix", "nested"],
    run: "cluster",
    files: {
      "base/all.yaml": REFERENCING,
      "base/kustomization.yaml": `resources: [all.yaml]\nnamePrefix: base-\n${GENERATED}`,
      "env/kustomization.yaml": "resources: [../base]\nnamePrefix: env-\nnamespace: env\n",
      "cluster/kustomization.yaml": "resources: [../env]\nnameSuffix: -c1\nconfigMapGenerator:\n- {name: settings, behavior: merge, literals: [y=2]}\n",
    },
  });
  out.push({
    name: "naming-fleet-of-overlays",
    features: ["name-references", "prefix", "multiple-overlays"],
    run: "fleet",
    files: {
      "base/all.yaml": REFERENCING,
      "base/kustomization.yaml": `resources: [all.yaml]\n${GENERATED}`,
      ...Object.fromEntries(["a", "b"].map((c) => [`clusters/${c}/kustomization.yaml`, `resources: [../../base]\nnamePrefix: ${c}-\nnamespace: ns-${c}\n`])),
      "fleet/kustomization.yaml": "resources: [../clusters/a, ../clusters/b]\n",
    },
  });
  return out;
}
