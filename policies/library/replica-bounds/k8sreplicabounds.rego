package k8sreplicabounds

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

min_replicas := object.get(input.parameters, "minReplicas", 1)

max_replicas := object.get(input.parameters, "maxReplicas", 50)

replicas := object.get(input.review.object.spec, "replicas", 1) if {
	input.review.object.kind in {"Deployment", "StatefulSet", "ReplicaSet"}
}

violation contains {"msg": msg, "details": {"replicas": replicas, "minReplicas": min_replicas, "path": "spec.replicas"}} if {
	replicas < min_replicas
	msg := sprintf("%v asks for %v replicas, fewer than the minimum of %v", [object_ref, replicas, min_replicas])
}

violation contains {"msg": msg, "details": {"replicas": replicas, "maxReplicas": max_replicas, "path": "spec.replicas"}} if {
	replicas > max_replicas
	msg := sprintf("%v asks for %v replicas, more than the maximum of %v", [object_ref, replicas, max_replicas])
}
