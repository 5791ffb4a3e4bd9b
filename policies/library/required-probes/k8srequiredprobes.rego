package k8srequiredprobes

# The pod spec of the reviewed object, for Pods and the workload kinds that embed a pod template.
pod_spec := input.review.object.spec if input.review.object.kind == "Pod"

pod_spec := input.review.object.spec.template.spec if {
	input.review.object.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}
}

pod_spec := input.review.object.spec.jobTemplate.spec.template.spec if input.review.object.kind == "CronJob"

# Every container of the pod spec with the field it sits in.
workload_containers contains {"field": field, "container": container} if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some container in pod_spec[field]
}

object_ref := sprintf("%v '%v'", [input.review.object.kind, object.get(input.review.object.metadata, "name", "")])

required_probes := object.get(input.parameters, "probes", ["readinessProbe", "livenessProbe"])

violation contains {"msg": msg, "details": {"container": container.name, "probe": probe}} if {
	some container in pod_spec.containers
	some probe in required_probes
	not container[probe]
	msg := sprintf("container '%v' in %v has no %v", [container.name, object_ref, probe])
}
