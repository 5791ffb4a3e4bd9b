package k8srequiredlabels_test

import data.k8srequiredlabels

params := {"labels": [{"key": "owner", "allowedRegex": "^[a-z]+$"}, {"key": "app"}]}

review(labels) := {"review": {"object": {"kind": "Namespace", "metadata": {"name": "shop", "labels": labels}}}, "parameters": params}

test_all_labels_present_allowed if {
	results := k8srequiredlabels.violation with input as review({"owner": "payments", "app": "shop"})
	count(results) == 0
}

test_missing_labels_listed_sorted if {
	results := k8srequiredlabels.violation with input as review({})
	results == {{"msg": "Namespace 'shop' is missing required labels: app, owner.", "details": {"missing_labels": {"app", "owner"}, "path": "metadata.labels"}}}
}

test_no_labels_at_all_reported if {
	inp := {"review": {"object": {"kind": "ConfigMap", "metadata": {"name": "c"}}}, "parameters": params}
	results := k8srequiredlabels.violation with input as inp
	count(results) == 1
}

test_value_must_match_regex if {
	results := k8srequiredlabels.violation with input as review({"owner": "Payments Team", "app": "shop"})
	some r in results
	r.details.label == "owner"
	r.details.path == "metadata.labels[\"owner\"]"
	count(results) == 1
}

test_custom_message_appended if {
	inp := object.union(review({}), {"parameters": {"message": "See go/labels."}})
	results := k8srequiredlabels.violation with input as inp
	some r in results
	endswith(r.msg, ". See go/labels.")
}
