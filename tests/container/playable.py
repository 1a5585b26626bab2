#!/usr/bin/env python3
"""Makes the rendered k8s/ (stdin, `kubectl kustomize k8s/`) playable by
`podman kube play` on this machine, and writes it to stdout:

- the Deployment gets one replica (kube play runs every replica in one network
  namespace, where a second nginx could not bind port 8080);
- its container port gets hostIP 127.0.0.1 and hostPort PORT: there is no Service
  network and no port-forward, and nothing may listen beyond loopback here.

Nothing else changes: the pod's securityContext, probes, resources and emptyDir stay
as the manifest has them. The other objects are passed on as they are; kube play
ignores the kinds it does not run (Namespace, Service, PodDisruptionBudget,
NetworkPolicy).

    kubectl kustomize k8s/ | python3 tests/container/playable.py PORT
"""

import sys

import yaml

port = int(sys.argv[1])
docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
deployments = [d for d in docs if d["kind"] == "Deployment"]
if len(deployments) != 1:
    sys.exit(f"expected one Deployment, found {len(deployments)}")
spec = deployments[0]["spec"]
spec["replicas"] = 1
containers = spec["template"]["spec"]["containers"]
containers[0]["ports"][0].update(hostIP="127.0.0.1", hostPort=port)
yaml.safe_dump_all(docs, sys.stdout, sort_keys=False)
