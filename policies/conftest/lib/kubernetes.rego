# Helpers shared by the Conftest-style policies (input is one manifest, not an AdmissionReview).
package lib.kubernetes

pod_spec := input.spec if input.kind == "Pod"

pod_spec := input.spec.template.spec if {
	input.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}
}

pod_spec := input.spec.jobTemplate.spec.template.spec if input.kind == "CronJob"

containers contains container if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some container in pod_spec[field]
}

name := object.get(input.metadata, "name", "")

ref := sprintf("%v '%v'", [input.kind, name])
