package k8sdisallowhostaccess

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

host_namespaces := {"hostNetwork": "allowHostNetwork", "hostPID": "allowHostPID", "hostIPC": "allowHostIPC"}

allowed_host_path(path) if {
	some prefix in object.get(input.parameters, "allowedHostPaths", [])
	startswith(path, prefix)
}

violation contains {"msg": msg, "details": {"volume": volume.name, "path": volume.hostPath.path}} if {
	some volume in pod_spec.volumes
	path := volume.hostPath.path
	not allowed_host_path(path)
	msg := sprintf("%v mounts the host path '%v' (volume '%v'); hostPath volumes are not allowed", [object_ref, path, volume.name])
}

violation contains {"msg": msg, "details": {"field": field}} if {
	some field, parameter in host_namespaces
	pod_spec[field] == true
	not object.get(input.parameters, parameter, false)
	msg := sprintf("%v sets %v: true; sharing the host's namespaces is not allowed", [object_ref, field])
}
