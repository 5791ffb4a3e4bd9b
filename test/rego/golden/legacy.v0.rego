package fleetward.golden.legacy

import data.lib.core

violation[{"msg": msg}] {
	not input.review.object.metadata.labels.owner
	msg := "owner label is required"
}

ports[p] = proto {
	p := input.spec.ports[_].port
	proto = "TCP"
}

is_prod {
	core.env == "prod"
} {
	input.namespace == "production"
}

name = input.metadata.name
