package k8scontainerresources

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

required_requests := object.get(input.parameters, "requests", ["cpu", "memory"])

required_limits := object.get(input.parameters, "limits", ["cpu", "memory"])

# Ephemeral containers cannot declare resources, so only containers and initContainers are checked.
checked contains entry if {
	some entry in workload_containers
	entry.field in {"containers", "initContainers"}
}

violation contains {"msg": msg, "details": {"container": entry.container.name, "missing": "requests", "resource": resource, "path": entry.path}} if {
	some entry in checked
	some resource in required_requests
	not entry.container.resources.requests[resource]
	msg := sprintf("container '%v' in %v has no %v request", [entry.container.name, object_ref, resource])
}

violation contains {"msg": msg, "details": {"container": entry.container.name, "missing": "limits", "resource": resource, "path": entry.path}} if {
	some entry in checked
	some resource in required_limits
	not entry.container.resources.limits[resource]
	msg := sprintf("container '%v' in %v has no %v limit", [entry.container.name, object_ref, resource])
}
