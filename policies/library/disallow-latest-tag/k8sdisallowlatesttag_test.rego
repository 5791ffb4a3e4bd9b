package k8sdisallowlatesttag_test

import data.k8sdisallowlatesttag

review(images) := {
	"review": {"object": {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": sprintf("c%v", [i]), "image": image} | some i, image in images]}}},
	"parameters": {"exemptImages": ["internal.example.com/tools/"]},
}

violations(images) := v if {
	v := k8sdisallowlatesttag.violation with input as review(images)
}

test_versioned_tag_allowed if {
	count(violations(["nginx:1.25", "registry.example.com:5000/team/app:2.3.1"])) == 0
}

test_latest_tag_denied if {
	results := violations(["nginx:latest"])
	results == {{"msg": "image 'nginx:latest' of container 'c0' in Pod 'p' uses the latest tag; pin a version tag or a digest", "details": {"container": "c0", "image": "nginx:latest", "path": "spec.containers[0].image"}}}
}

test_missing_tag_denied if {
	some r in violations(["nginx"])
	contains(r.msg, "has no tag, which means latest")
}

test_registry_port_is_not_a_tag if {
	count(violations(["registry.example.com:5000/app"])) == 1
}

test_digest_allowed if {
	count(violations(["nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"])) == 0
}

test_exempt_images_skipped if {
	count(violations(["internal.example.com/tools/debug"])) == 0
}
