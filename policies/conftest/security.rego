# Conftest: no privileged containers, no host namespaces, no hostPath volumes.
package main

import data.lib.kubernetes

deny_privileged contains msg if {
	some container in kubernetes.containers
	container.securityContext.privileged == true
	msg := sprintf("%v: container '%v' runs privileged", [kubernetes.ref, container.name])
}

deny_host_namespace contains msg if {
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	kubernetes.pod_spec[field] == true
	msg := sprintf("%v: %v is not allowed", [kubernetes.ref, field])
}

deny_host_path contains msg if {
	some volume in kubernetes.pod_spec.volumes
	path := volume.hostPath.path
	msg := sprintf("%v: volume '%v' mounts the host path %v", [kubernetes.ref, volume.name, path])
}
