package k8srequiredprobes

# The pod spec of the reviewed object, for Pods and the workload kinds that embed a pod template.
pod_spec := input.review.object.spec if input.review.object.kind == "Pod"

pod_spec := input.review.object.spec.template.spec if {
	input.review.object.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}
}

pod_spec := input.review.object.spec.jobTemplate.spec.template.spec if input.review.object.kind == "CronJob"

# Where the pod spec sits in the object, as a field path (violations name fields in details.path).
pod_spec_path := "spec" if input.review.object.kind == "Pod"

pod_spec_path := "spec.template.spec" if {
	input.review.object.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}
}

pod_spec_path := "spec.jobTemplate.spec.template.spec" if input.review.object.kind == "CronJob"

# Every container of the pod spec with the field it sits in and its path.
workload_containers contains {"field": field, "container": container, "path": path} if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some i, container in pod_spec[field]
	path := sprintf("%v.%v[%v]", [pod_spec_path, field, i])
}

object_ref := sprintf("%v '%v'", [input.review.object.kind, object.get(input.review.object.metadata, "name", "")])

required_probes := object.get(input.parameters, "probes", ["readinessProbe", "livenessProbe"])

violation contains {"msg": msg, "details": {"container": container.name, "probe": probe, "path": path}} if {
	some i, container in pod_spec.containers
	path := sprintf("%v.containers[%v]", [pod_spec_path, i])
	some probe in required_probes
	not container[probe]
	msg := sprintf("container '%v' in %v has no %v", [container.name, object_ref, probe])
}
