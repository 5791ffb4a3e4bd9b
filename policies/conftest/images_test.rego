package main

image_pod(image) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": image}]}}

test_tagged_image_passes if {
	count(deny_latest_tag) == 0 with input as image_pod("nginx:1.25")
	count(deny_untagged_image) == 0 with input as image_pod("nginx:1.25")
}

test_latest_tag_fails if {
	deny_latest_tag == {"Pod 'p': container 'c' uses the latest tag (nginx:latest)"} with input as image_pod("nginx:latest")
}

test_untagged_image_fails if {
	count(deny_untagged_image) == 1 with input as image_pod("registry.example.com:5000/nginx")
}

test_digest_passes if {
	count(deny_untagged_image) == 0 with input as image_pod("nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31")
}
