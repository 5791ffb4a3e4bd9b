package k8sdisallowlatesttag

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

pinned_by_digest(image) if contains(image, "@")

# The tag is what follows the last ":" of the last path segment (a ":" before the last "/" is a registry port).
image_tag(image) := tag if {
	segments := split(image, "/")
	name := segments[count(segments) - 1]
	contains(name, ":")
	parts := split(name, ":")
	tag := parts[count(parts) - 1]
}

problem(image) := "has no tag, which means latest" if not image_tag(image)

problem(image) := "uses the latest tag" if image_tag(image) == "latest"

violation contains {"msg": msg, "details": {"container": entry.container.name, "image": image, "path": path}} if {
	some entry in workload_containers
	image := entry.container.image
	path := sprintf("%v.image", [entry.path])
	not pinned_by_digest(image)
	not exempt(image)
	reason := problem(image)
	msg := sprintf("image '%v' of container '%v' in %v %v; pin a version tag or a digest", [image, entry.container.name, object_ref, reason])
}
