#!/usr/bin/env python3
"""Checks the rendered manifests (`kubectl kustomize k8s/`) against what this project
promises, beyond schema validity and checkov's generic rules: the settings the issue
asks for, and the Pod Security "restricted" rules the namespace enforces (a cluster
would reject a pod breaking them only at apply time).

    kubectl kustomize k8s/ | .venv/bin/python tests/deploy/check_k8s.py

Prints one `PASS name` or `FAIL name: why` line per check; exits non-zero on a failure.
Needs PyYAML (installed with checkov in .venv).
"""

import sys

import yaml

NAME = "day-night-classifier"
results = []


def check(name, ok, why=""):
    results.append(ok)
    print(f"PASS {name}" if ok else f"FAIL {name}: {why}")


def dig(obj, *path, default=None):
    for key in path:
        if isinstance(obj, dict) and key in obj:
            obj = obj[key]
        elif isinstance(obj, list) and isinstance(key, int) and key < len(obj):
            obj = obj[key]
        else:
            return default
    return obj


def main():
    docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    kinds = sorted(by_kind)
    check("one of each kind",
          all(len(by_kind.get(k, [])) == 1 for k in
              ("Namespace", "Deployment", "Service", "PodDisruptionBudget")),
          f"kinds {kinds}")
    ns = by_kind["Namespace"][0]
    ns_name = ns["metadata"]["name"]
    check("namespace enforces Pod Security restricted",
          dig(ns, "metadata", "labels", "pod-security.kubernetes.io/enforce") == "restricted",
          repr(dig(ns, "metadata", "labels")))
    check("every namespaced object is in that namespace",
          all(d["metadata"].get("namespace") == ns_name for d in docs if d["kind"] != "Namespace"),
          "")

    dep = by_kind["Deployment"][0]
    spec = dep["spec"]
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"]["labels"]
    check("deployment named day-night-classifier", dep["metadata"]["name"] == NAME,
          dep["metadata"]["name"])
    check("2 replicas", spec.get("replicas") == 2, repr(spec.get("replicas")))
    check("rolling update without unavailability",
          dig(spec, "strategy", "type") == "RollingUpdate"
          and dig(spec, "strategy", "rollingUpdate", "maxUnavailable") == 0
          and (dig(spec, "strategy", "rollingUpdate", "maxSurge") or 0) >= 1,
          repr(spec.get("strategy")))
    check("selector matches the pod labels",
          all(labels.get(k) == v for k, v in spec["selector"]["matchLabels"].items()), "")
    check("no service-account token", pod.get("automountServiceAccountToken") is False, "")
    check("no host namespaces or host paths",
          not any(pod.get(k) for k in ("hostNetwork", "hostPID", "hostIPC"))
          and not any("hostPath" in v for v in pod.get("volumes", [])), "")
    check("pod seccomp RuntimeDefault",
          dig(pod, "securityContext", "seccompProfile", "type") == "RuntimeDefault", "")
    containers = pod["containers"] + pod.get("initContainers", [])
    for c in containers:
        n = c["name"]
        sc = c.get("securityContext", {})
        psc = pod.get("securityContext", {})
        uid = sc.get("runAsUser", psc.get("runAsUser"))
        check(f"{n}: runAsNonRoot with a numeric non-zero user",
              sc.get("runAsNonRoot", psc.get("runAsNonRoot")) is True
              and isinstance(uid, int) and uid > 0, f"uid {uid!r}")
        check(f"{n}: no privilege escalation, not privileged",
              sc.get("allowPrivilegeEscalation") is False and not sc.get("privileged"), repr(sc))
        check(f"{n}: all capabilities dropped, none added",
              dig(sc, "capabilities", "drop") == ["ALL"] and not dig(sc, "capabilities", "add"),
              repr(sc.get("capabilities")))
        check(f"{n}: read-only root filesystem", sc.get("readOnlyRootFilesystem") is True, "")
        seccomp = dig(sc, "seccompProfile", "type") or dig(psc, "seccompProfile", "type")
        check(f"{n}: seccomp RuntimeDefault", seccomp == "RuntimeDefault", repr(seccomp))
    web = pod["containers"][0]
    image = web["image"]
    check("image has a version tag, pulled only if not present",
          ":" in image and not image.endswith(":latest") and web.get("imagePullPolicy") == "IfNotPresent",
          f"{image} {web.get('imagePullPolicy')}")
    port = dig(web, "ports", 0, "containerPort")
    check("container port 8080", port == 8080, repr(port))
    for probe in ("readinessProbe", "livenessProbe"):
        p = web.get(probe, {})
        check(f"{probe} on /healthz",
              dig(p, "httpGet", "path") == "/healthz"
              and dig(p, "httpGet", "port") in (8080, dig(web, "ports", 0, "name")),
              repr(p))
    res = web.get("resources", {})
    check("cpu and memory requests and limits",
          all(dig(res, a, b) for a in ("requests", "limits") for b in ("cpu", "memory")), repr(res))
    tmp_mounts = [m for m in web.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
    vols = {v["name"]: v for v in pod.get("volumes", [])}
    check("emptyDir at /tmp",
          len(tmp_mounts) == 1 and "emptyDir" in vols.get(tmp_mounts[0]["name"], {}), "")

    svc = by_kind["Service"][0]
    sp = dig(svc, "spec", "ports", 0) or {}
    check("ClusterIP service day-night-classifier :80 -> 8080",
          svc["metadata"]["name"] == NAME
          and svc["spec"].get("type", "ClusterIP") == "ClusterIP"
          and sp.get("port") == 80
          and sp.get("targetPort") in (8080, dig(web, "ports", 0, "name")),
          repr(svc["spec"]))
    check("service selects the pods",
          all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()), "")

    pdb = by_kind["PodDisruptionBudget"][0]
    check("PDB selects the pods and keeps one",
          all(labels.get(k) == v for k, v in pdb["spec"]["selector"]["matchLabels"].items())
          and (pdb["spec"].get("minAvailable") == 1 or pdb["spec"].get("maxUnavailable") == 1),
          repr(pdb["spec"]))

    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
