package main

full_resources := {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}}

tcp_probe := {"tcpSocket": {"port": 80}}

ops_deployment(container) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": {"containers": [container]}}}}

test_complete_container_passes if {
	container := {"name": "c", "resources": full_resources, "readinessProbe": tcp_probe, "livenessProbe": tcp_probe}
	count(deny_missing_resources) == 0 with input as ops_deployment(container)
	count(warn_missing_probes) == 0 with input as ops_deployment(container)
}

test_missing_memory_limit_fails if {
	container := {"name": "c", "resources": {"requests": full_resources.requests, "limits": {"cpu": "1"}}}
	deny_missing_resources == {"Deployment 'd': container 'c' has no memory limit"} with input as ops_deployment(container)
}

test_missing_probes_warn if {
	count(warn_missing_probes) == 2 with input as ops_deployment({"name": "c", "resources": full_resources})
}
