package k8sdisallowhostaccess_test

import data.k8sdisallowhostaccess

pod(spec) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": object.union({"containers": [{"name": "a", "image": "a:1"}]}, spec)}

violations(spec, params) := v if {
	v := k8sdisallowhostaccess.violation with input as {"review": {"object": pod(spec)}, "parameters": params}
}

test_plain_pod_allowed if {
	count(violations({"volumes": [{"name": "data", "emptyDir": {}}]}, {})) == 0
}

test_host_path_denied if {
	results := violations({"volumes": [{"name": "root", "hostPath": {"path": "/"}}]}, {})
	results == {{"msg": "Pod 'p' mounts the host path '/' (volume 'root'); hostPath volumes are not allowed", "details": {"volume": "root", "hostPath": "/", "path": "spec.volumes[0].hostPath.path"}}}
}

test_allowed_host_path_prefix if {
	count(violations({"volumes": [{"name": "logs", "hostPath": {"path": "/var/log/pods"}}]}, {"allowedHostPaths": ["/var/log/"]})) == 0
}

test_host_namespaces_denied if {
	results := violations({"hostNetwork": true, "hostPID": true, "hostIPC": false}, {})
	{r.details.field | some r in results} == {"hostNetwork", "hostPID"}
}

test_host_network_can_be_allowed if {
	results := violations({"hostNetwork": true, "hostPID": true}, {"allowHostNetwork": true})
	{r.details.field | some r in results} == {"hostPID"}
}
