package fleetward.golden.rules

import data.lib.k8s as k8s
import input.review.object

# METADATA
# title: Deny privileged containers
# description: Containers must not run privileged.
# custom:
#   severity: high
deny contains msg if {
	some container in object.spec.containers
	container.securityContext.privileged == true
	msg := sprintf("%s is privileged", [container.name])
}

default allow := false

allow if count(deny) == 0

limits[name] := cpu if {
	some c in object.spec.containers
	name := c.name
	cpu := c.resources.limits.cpu
}

a.b.c := 1

f(x) := x * 2 + 1

f(x) := "big" if x > 10

grade(s) := "A" if {
	s >= 90
} else := "B" if {
	s >= 80
} else := "C"
