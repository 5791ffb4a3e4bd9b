package k8sdisallowedimagerepos

approved(image) if {
	some repo in input.parameters.repos
	startswith(image, repo)
}

repos_text := concat(", ", [sprintf("'%v'", [repo]) | some repo in input.parameters.repos])

violation contains {"msg": msg} if {
	input.review.object.kind == "Pod"
	some container in input.review.object.spec.containers
	not approved(container.image)
	msg := sprintf("Image '%v' comes from an unapproved repository. Only images from %v are allowed.", [container.image, repos_text])
}
