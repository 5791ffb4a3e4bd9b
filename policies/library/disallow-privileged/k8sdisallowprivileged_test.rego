package k8sdisallowprivileged_test

import data.k8sdisallowprivileged

pod(containers) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": containers}}

review(obj) := {"review": {"object": obj}, "parameters": {"exemptImages": ["registry.example.com/cni/"]}}

test_unprivileged_allowed if {
	results := k8sdisallowprivileged.violation with input as review(pod([{"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1", "securityContext": {"privileged": false}}]))
	count(results) == 0
}

test_privileged_denied if {
	results := k8sdisallowprivileged.violation with input as review(pod([{"name": "a", "image": "a:1", "securityContext": {"privileged": true}}]))
	results == {{"msg": "container 'a' in Pod 'p' runs privileged; remove securityContext.privileged", "details": {"container": "a", "field": "containers", "path": "spec.containers[0].securityContext.privileged"}}}
}

test_privileged_init_container_in_deployment_denied if {
	obj := {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": {"containers": [], "initContainers": [{"name": "i", "image": "x:1", "securityContext": {"privileged": true}}]}}}}
	results := k8sdisallowprivileged.violation with input as review(obj)
	count(results) == 1
}

test_exempt_image_allowed if {
	results := k8sdisallowprivileged.violation with input as review(pod([{"name": "cni", "image": "registry.example.com/cni/calico:3", "securityContext": {"privileged": true}}]))
	count(results) == 0
}
