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

object_ref := sprintf("%v '%v'", [input.review.object.kind, object.get(input.review.object.metadata, "name", "")])

approved(image) if {
	some repo in input.parameters.repos
	startswith(image, repo)
}

repos_text := concat(", ", [sprintf("'%v'", [repo]) | some repo in input.parameters.repos])

# One violation per container whose image is not approved. The field path and message are built only for those
# containers, so objects that pass cost no formatting.
violation contains {"msg": msg, "details": {"container": container.name, "field": field, "image": container.image, "path": path}} if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some i, container in pod_spec[field]
	not approved(container.image)
	path := sprintf("%v.%v[%v].image", [pod_spec_path, field, i])
	msg := sprintf("Image '%v' of container '%v' in %v comes from an unapproved repository. Only images from %v are allowed.", [container.image, container.name, object_ref, repos_text])
}
