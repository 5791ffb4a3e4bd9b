package k8srequiredlabels

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

suffix := sprintf(" %v", [input.parameters.message]) if input.parameters.message

suffix := "" if not input.parameters.message

provided contains key if {
	some key, _ in input.review.object.metadata.labels
}

violation contains {"msg": msg, "details": {"missing_labels": missing, "path": "metadata.labels"}} if {
	required := {label.key | some label in input.parameters.labels}
	missing := required - provided
	count(missing) > 0
	msg := sprintf("%v is missing required labels: %v.%v", [object_ref, concat(", ", sort(missing)), suffix])
}

violation contains {"msg": msg, "details": {"label": label.key, "value": value, "allowedRegex": label.allowedRegex, "path": path}} if {
	some label in input.parameters.labels
	value := input.review.object.metadata.labels[label.key]
	label.allowedRegex != ""
	not regex.match(label.allowedRegex, value)
	path := sprintf("metadata.labels[\"%v\"]", [label.key])
	msg := sprintf("%v has label %v=%v, which does not match %v.%v", [object_ref, label.key, value, label.allowedRegex, suffix])
}
