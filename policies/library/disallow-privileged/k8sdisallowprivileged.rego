package k8sdisallowprivileged

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

exempt(image) if {
	some prefix in object.get(input.parameters, "exemptImages", [])
	startswith(image, prefix)
}

violation contains {"msg": msg, "details": {"container": entry.container.name, "field": entry.field, "path": path}} if {
	some entry in workload_containers
	entry.container.securityContext.privileged == true
	path := sprintf("%v.securityContext.privileged", [entry.path])
	not exempt(entry.container.image)
	msg := sprintf("container '%v' in %v runs privileged; remove securityContext.privileged", [entry.container.name, object_ref])
}
