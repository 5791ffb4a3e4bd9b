package main

security_deployment(spec) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": spec}}}

test_privileged_fails if {
	deny_privileged == {"Deployment 'd': container 'a' runs privileged"} with input as security_deployment({"containers": [{"name": "a", "securityContext": {"privileged": true}}]})
}

test_unprivileged_passes if {
	count(deny_privileged) == 0 with input as security_deployment({"containers": [{"name": "a"}]})
}

test_host_namespaces_fail if {
	count(deny_host_namespace) == 2 with input as security_deployment({"hostNetwork": true, "hostPID": true, "containers": []})
}

test_host_path_fails if {
	deny_host_path == {"Deployment 'd': volume 'v' mounts the host path /etc"} with input as security_deployment({"volumes": [{"name": "v", "hostPath": {"path": "/etc"}}, {"name": "e", "emptyDir": {}}]})
}
