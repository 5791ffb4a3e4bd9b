package k8sreplicabounds_test

import data.k8sreplicabounds

deployment(spec) := {"kind": "Deployment", "metadata": {"name": "web"}, "spec": spec}

violations(spec, params) := v if {
	v := k8sreplicabounds.violation with input as {"review": {"object": deployment(spec)}, "parameters": params}
}

test_within_bounds_allowed if {
	count(violations({"replicas": 3}, {"minReplicas": 2, "maxReplicas": 5})) == 0
}

test_bounds_are_inclusive if {
	count(violations({"replicas": 2}, {"minReplicas": 2, "maxReplicas": 2})) == 0
}

test_too_few_denied if {
	results := violations({"replicas": 1}, {"minReplicas": 2, "maxReplicas": 5})
	results == {{"msg": "Deployment 'web' asks for 1 replicas, fewer than the minimum of 2", "details": {"replicas": 1, "minReplicas": 2, "path": "spec.replicas"}}}
}

test_too_many_denied if {
	some r in violations({"replicas": 80}, {})
	r.msg == "Deployment 'web' asks for 80 replicas, more than the maximum of 50"
}

test_unset_replicas_count_as_one if {
	count(violations({}, {"minReplicas": 2})) == 1
}

test_pods_ignored if {
	results := k8sreplicabounds.violation with input as {"review": {"object": {"kind": "Pod", "metadata": {"name": "p"}, "spec": {}}}, "parameters": {"minReplicas": 2}}
	count(results) == 0
}
