package k8scontainerresources_test

import data.k8scontainerresources

full := {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}}

pod(resources) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "image": "a:1", "resources": resources}]}}

test_complete_resources_allowed if {
	results := k8scontainerresources.violation with input as {"review": {"object": pod(full)}, "parameters": {}}
	count(results) == 0
}

test_defaults_require_cpu_and_memory if {
	results := k8scontainerresources.violation with input as {"review": {"object": pod({})}, "parameters": {}}
	count(results) == 4
}

test_missing_memory_limit_reported if {
	resources := {"requests": full.requests, "limits": {"cpu": "1"}}
	results := k8scontainerresources.violation with input as {"review": {"object": pod(resources)}, "parameters": {}}
	results == {{"msg": "container 'app' in Pod 'p' has no memory limit", "details": {"container": "app", "missing": "limits", "resource": "memory", "path": "spec.containers[0]"}}}
}

test_parameters_narrow_the_check if {
	results := k8scontainerresources.violation with input as {"review": {"object": pod({"requests": {"memory": "1Gi"}})}, "parameters": {"requests": ["memory"], "limits": []}}
	count(results) == 0
}

test_ephemeral_containers_ignored if {
	obj := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "resources": full}], "ephemeralContainers": [{"name": "debug"}]}}
	results := k8scontainerresources.violation with input as {"review": {"object": obj}, "parameters": {}}
	count(results) == 0
}
