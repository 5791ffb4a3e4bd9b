package k8sdisallowhostaccess

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

host_namespaces := {"hostNetwork": "allowHostNetwork", "hostPID": "allowHostPID", "hostIPC": "allowHostIPC"}

allowed_host_path(path) if {
	some prefix in object.get(input.parameters, "allowedHostPaths", [])
	startswith(path, prefix)
}

violation contains {"msg": msg, "details": {"volume": volume.name, "hostPath": host_path, "path": path}} if {
	some i, volume in pod_spec.volumes
	host_path := volume.hostPath.path
	path := sprintf("%v.volumes[%v].hostPath.path", [pod_spec_path, i])
	not allowed_host_path(host_path)
	msg := sprintf("%v mounts the host path '%v' (volume '%v'); hostPath volumes are not allowed", [object_ref, host_path, volume.name])
}

violation contains {"msg": msg, "details": {"field": field, "path": path}} if {
	some field, parameter in host_namespaces
	pod_spec[field] == true
	path := sprintf("%v.%v", [pod_spec_path, field])
	not object.get(input.parameters, parameter, false)
	msg := sprintf("%v sets %v: true; sharing the host's namespaces is not allowed", [object_ref, field])
}
