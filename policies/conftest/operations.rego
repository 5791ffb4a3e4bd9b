# Conftest: resource requests/limits are required (deny); missing probes only warn.
package main

import data.lib.kubernetes

deny_missing_resources contains msg if {
	some field in ["containers", "initContainers"]
	some container in kubernetes.pod_spec[field]
	some kind in ["requests", "limits"]
	some resource in ["cpu", "memory"]
	not container.resources[kind][resource]
	msg := sprintf("%v: container '%v' has no %v %v", [kubernetes.ref, container.name, resource, trim_suffix(kind, "s")])
}

warn_missing_probes contains msg if {
	input.kind in {"Deployment", "StatefulSet", "DaemonSet"}
	some container in kubernetes.pod_spec.containers
	some probe in ["readinessProbe", "livenessProbe"]
	not container[probe]
	msg := sprintf("%v: container '%v' has no %v", [kubernetes.ref, container.name, probe])
}
