package k8sapprovedimagerepos

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

approved(image) if {
	some repo in input.parameters.repos
	startswith(image, repo)
}

repos_text := concat(", ", [sprintf("'%v'", [repo]) | some repo in input.parameters.repos])

violation contains {"msg": msg, "details": {"container": entry.container.name, "field": entry.field, "image": entry.container.image, "path": path}} if {
	some entry in workload_containers
	not approved(entry.container.image)
	path := sprintf("%v.image", [entry.path])
	msg := sprintf("Image '%v' of container '%v' in %v comes from an unapproved repository. Only images from %v are allowed.", [entry.container.image, entry.container.name, object_ref, repos_text])
}
