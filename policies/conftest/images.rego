# Conftest: no :latest tag and no untagged images (digest-pinned images pass).
package main

import data.lib.kubernetes

image_tag(image) := tag if {
	segments := split(image, "/")
	last := segments[count(segments) - 1]
	contains(last, ":")
	parts := split(last, ":")
	tag := parts[count(parts) - 1]
}

deny_latest_tag contains msg if {
	some container in kubernetes.containers
	not contains(container.image, "@")
	image_tag(container.image) == "latest"
	msg := sprintf("%v: container '%v' uses the latest tag (%v)", [kubernetes.ref, container.name, container.image])
}

deny_untagged_image contains msg if {
	some container in kubernetes.containers
	not contains(container.image, "@")
	not image_tag(container.image)
	msg := sprintf("%v: container '%v' has an image without a tag (%v)", [kubernetes.ref, container.name, container.image])
}
