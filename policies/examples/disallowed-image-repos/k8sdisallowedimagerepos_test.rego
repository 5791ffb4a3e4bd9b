package k8sdisallowedimagerepos_test

import data.k8sdisallowedimagerepos

params := {"repos": ["your-approved-registry.com/"]}

pod(images) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": sprintf("c%v", [i]), "image": image} | some i, image in images]}}

review(images) := {"review": {"kind": {"group": "", "version": "v1", "kind": "Pod"}, "object": pod(images)}, "parameters": params}

test_approved_image_allowed if {
	results := k8sdisallowedimagerepos.violation with input as review(["your-approved-registry.com/app:1.0"])
	count(results) == 0
}

test_unapproved_image_denied_with_message if {
	results := k8sdisallowedimagerepos.violation with input as review(["docker.io/nginx:1.25"])
	results == {{"msg": "Image 'docker.io/nginx:1.25' comes from an unapproved repository. Only images from 'your-approved-registry.com/' are allowed."}}
}

test_each_unapproved_container_reported if {
	results := k8sdisallowedimagerepos.violation with input as review(["a/x:1", "your-approved-registry.com/ok:1", "b/y:2"])
	count(results) == 2
}

test_message_names_all_repos if {
	inp := object.union(review(["bad:1"]), {"parameters": {"repos": ["a/", "b/"]}})
	results := k8sdisallowedimagerepos.violation with input as inp
	some r in results
	r.msg == "Image 'bad:1' comes from an unapproved repository. Only images from 'a/', 'b/' are allowed."
}

test_prefix_must_match_at_start if {
	results := k8sdisallowedimagerepos.violation with input as review(["evil.com/your-approved-registry.com/x:1"])
	count(results) == 1
}
