package k8sapprovedimagerepos_test

import data.k8sapprovedimagerepos

params := {"repos": ["registry.example.com/"]}

review(obj) := {"review": {"object": obj}, "parameters": params}

deployment(spec) := {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"template": {"spec": spec}}}

test_deployment_with_approved_images_allowed if {
	results := k8sapprovedimagerepos.violation with input as review(deployment({"containers": [{"name": "a", "image": "registry.example.com/a:1"}]}))
	count(results) == 0
}

test_init_and_ephemeral_containers_checked if {
	spec := {
		"containers": [{"name": "a", "image": "registry.example.com/a:1"}],
		"initContainers": [{"name": "init", "image": "busybox:1.36"}],
		"ephemeralContainers": [{"name": "debug", "image": "alpine:3"}],
	}
	results := k8sapprovedimagerepos.violation with input as review(deployment(spec))
	count(results) == 2
	{r.details.field | some r in results} == {"initContainers", "ephemeralContainers"}
	{r.details.path | some r in results} == {"spec.template.spec.initContainers[0].image", "spec.template.spec.ephemeralContainers[0].image"}
}

test_cronjob_pod_template_checked if {
	cron := {"kind": "CronJob", "metadata": {"name": "nightly"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "j", "image": "docker.io/x:1"}]}}}}}}
	results := k8sapprovedimagerepos.violation with input as review(cron)
	some r in results
	r.msg == "Image 'docker.io/x:1' of container 'j' in CronJob 'nightly' comes from an unapproved repository. Only images from 'registry.example.com/' are allowed."
}

workload(kind) := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "bad/x:1"}]}}}}

test_statefulset_daemonset_job_replicaset_checked if {
	counts := [n |
		some kind in ["StatefulSet", "DaemonSet", "Job", "ReplicaSet"]
		n := count(k8sapprovedimagerepos.violation) with input as review(workload(kind))
	]
	counts == [1, 1, 1, 1]
}

test_other_kinds_ignored if {
	results := k8sapprovedimagerepos.violation with input as review({"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {}})
	count(results) == 0
}
