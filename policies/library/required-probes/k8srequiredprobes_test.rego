package k8srequiredprobes_test

import data.k8srequiredprobes

probe := {"httpGet": {"path": "/healthz", "port": 8080}}

deployment(container) := {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"template": {"spec": {"containers": [container]}}}}

violations(container, params) := v if {
	v := k8srequiredprobes.violation with input as {"review": {"object": deployment(container)}, "parameters": params}
}

test_both_probes_allowed if {
	count(violations({"name": "c", "readinessProbe": probe, "livenessProbe": probe}, {})) == 0
}

test_missing_liveness_reported if {
	results := violations({"name": "c", "readinessProbe": probe}, {})
	results == {{"msg": "container 'c' in Deployment 'web' has no livenessProbe", "details": {"container": "c", "probe": "livenessProbe", "path": "spec.template.spec.containers[0]"}}}
}

test_parameters_choose_probes if {
	results := violations({"name": "c", "readinessProbe": probe}, {"probes": ["readinessProbe", "startupProbe"]})
	{r.details.probe | some r in results} == {"startupProbe"}
}

test_init_containers_not_checked if {
	obj := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"initContainers": [{"name": "i"}], "containers": [{"name": "c", "readinessProbe": probe, "livenessProbe": probe}]}}
	results := k8srequiredprobes.violation with input as {"review": {"object": obj}, "parameters": {}}
	count(results) == 0
}
