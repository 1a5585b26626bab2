#!/usr/bin/env python3
"""Checks the rendered manifests (`kubectl kustomize k8s/`) against what this project
promises, beyond schema validity and checkov's generic rules: the settings the issue
asks for, and the Pod Security "restricted" rules the namespace enforces (a cluster
would reject a pod breaking them only at apply time).

    kubectl kustomize k8s/ | .venv/bin/python tests/deploy/check_k8s.py
    kubectl kustomize k8s/custom-model/ | .venv/bin/python tests/deploy/check_k8s.py custom-model
    kubectl kustomize k8s/batch/ | .venv/bin/python tests/deploy/check_k8s.py batch

Prints one `PASS name` or `FAIL name: why` line per check; exits non-zero on a failure.
Needs PyYAML (installed with checkov in .venv).
"""

import json
import pathlib
import re
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


def check_namespace(docs, by_kind):
    """The namespace enforces restricted Pod Security and holds everything else."""
    ns = by_kind["Namespace"][0]
    ns_name = ns["metadata"]["name"]
    check("namespace enforces Pod Security restricted",
          dig(ns, "metadata", "labels", "pod-security.kubernetes.io/enforce") == "restricted",
          repr(dig(ns, "metadata", "labels")))
    check("every namespaced object is in that namespace",
          all(d["metadata"].get("namespace") == ns_name for d in docs if d["kind"] != "Namespace"),
          "")


def check_pod_security(pod, who=""):
    """A pod spec follows Pod Security "restricted", and mounts no host path."""
    check(f"{who}no service-account token", pod.get("automountServiceAccountToken") is False, "")
    check(f"{who}no host namespaces or host paths",
          not any(pod.get(k) for k in ("hostNetwork", "hostPID", "hostIPC"))
          and not any("hostPath" in v for v in pod.get("volumes", [])), "")
    check(f"{who}pod seccomp RuntimeDefault",
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
        res = c.get("resources", {})
        check(f"{n}: cpu and memory requests and limits",
              all(dig(res, a, b) for a in ("requests", "limits") for b in ("cpu", "memory")), repr(res))


def by_kinds(docs):
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    return by_kind


def main_web(docs):
    by_kind = by_kinds(docs)
    kinds = sorted(by_kind)
    check("one of each kind",
          all(len(by_kind.get(k, [])) == 1 for k in
              ("Namespace", "Deployment", "Service", "PodDisruptionBudget")),
          f"kinds {kinds}")
    check_namespace(docs, by_kind)

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
    check_pod_security(pod)
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


def main_custom_model(docs):
    """k8s/custom-model/: everything of k8s/, plus the deployment's own model.json from
    a ConfigMap made by configMapGenerator, mounted beside index.html."""
    main_web(docs)
    by_kind = by_kinds(docs)
    maps = by_kind.get("ConfigMap", [])
    cm = maps[0] if len(maps) == 1 else {}
    name = dig(cm, "metadata", "name", default="")
    check("one generated ConfigMap, its name suffixed with its content's hash",
          re.fullmatch(r"daynight-model-[a-z0-9]{10}", name) is not None, f"ConfigMaps {[dig(m, 'metadata', 'name') for m in maps]}")
    try:
        model = json.loads(dig(cm, "data", "model.json", default=""))
    except ValueError as e:
        model = {"error": str(e)}
    builtin = json.loads((pathlib.Path(__file__).parents[2] / "model/daynight.json").read_text())
    check("its model.json has the built-in model's format version and features (else the page refuses it)",
          model.get("format_version") == builtin["format_version"] and model.get("features") == builtin["features"]
          and len(model.get("weights", [])) == len(builtin["features"]),
          "copy model/daynight.json (or a model exported from the page) to k8s/custom-model/model.json")
    pod = by_kind["Deployment"][0]["spec"]["template"]["spec"]
    web = pod["containers"][0]
    mount = next((m for m in web.get("volumeMounts", []) if m["mountPath"] == "/srv/daynight/model.json"), {})
    check("mounted read-only as /srv/daynight/model.json (the image's document root) by subPath",
          mount.get("subPath") == "model.json" and mount.get("readOnly") is True, repr(mount))
    vol = next((v for v in pod.get("volumes", []) if v["name"] == mount.get("name")), {})
    check("the Deployment names the ConfigMap by its hashed name, so a new model rolls the pods",
          dig(vol, "configMap", "name") == name and name != "", repr(vol))


def quantity(q):
    """A Kubernetes quantity ("2", "500m", "2Gi", "512Mi") as a number."""
    q = str(q)
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 1e3, "M": 1e6, "G": 1e9}
    for suffix, factor in sorted(units.items(), key=lambda u: -len(u[0])):
        if q.endswith(suffix):
            return float(q[: -len(suffix)]) * factor
    return float(q)


def main_batch(docs):
    """k8s/batch/: the Indexed Job that classifies an archive (docs/deploy.md)."""
    by_kind = by_kinds(docs)
    check("a namespace, a Job, two PVCs",
          len(by_kind.get("Namespace", [])) == 1 and len(by_kind.get("Job", [])) == 1
          and len(by_kind.get("PersistentVolumeClaim", [])) == 2, f"kinds {sorted(by_kind)}")
    check_namespace(docs, by_kind)
    job = by_kind["Job"][0]
    spec = job["spec"]
    pod = spec["template"]["spec"]
    check("Indexed, with completions and parallelism",
          spec.get("completionMode") == "Indexed" and spec.get("completions", 0) >= 1
          and 1 <= spec.get("parallelism", 0) <= spec["completions"], repr(spec))
    check("a retry budget per index (backoffLimitPerIndex, maxFailedIndexes), restartPolicy Never",
          spec.get("backoffLimitPerIndex", 0) >= 1 and "maxFailedIndexes" in spec
          and pod.get("restartPolicy") == "Never", "")
    check("ttlSecondsAfterFinished", spec.get("ttlSecondsAfterFinished", 0) > 0, "")
    check("no replacement pod while the old one still writes its shard",
          spec.get("podReplacementPolicy") == "Failed", repr(spec.get("podReplacementPolicy")))
    check_pod_security(pod)
    for p in by_kind.get("Pod", []):
        check_pod_security(p["spec"], f"{p['metadata']['name']}: ")

    c = next(c for c in pod["containers"] if c["name"] == "classify")
    args = c.get("args", [])
    shard = args[args.index("--shard") + 1] if "--shard" in args else ""
    m = re.fullmatch(r"auto/(\d+)", shard)
    check("--shard auto/N with N = completions", bool(m) and int(m.group(1)) == spec["completions"],
          f"--shard {shard!r}, completions {spec['completions']}")
    out = args[args.index("--out") + 1] if "--out" in args else ""
    check("one result file per index, resumed",
          out.endswith("/shard-$(JOB_COMPLETION_INDEX).jsonl") and "--resume" in args, repr(args))
    vols = {v["name"]: v for v in pod.get("volumes", [])}
    mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
    claims = {d["metadata"]["name"] for d in by_kind["PersistentVolumeClaim"]}

    def claim(path):
        mount = mounts.get(path) or {}
        return dig(vols.get(mount.get("name"), {}), "persistentVolumeClaim") or {}, mount

    photos, photos_mount = claim(args[-1] if args else "")
    check("photos from a PVC, mounted read-only",
          photos.get("claimName") in claims and photos.get("readOnly") is True
          and photos_mount.get("readOnly") is True, repr(photos_mount))
    results, results_mount = claim(out.rsplit("/", 1)[0])
    check("results to a second, writable PVC",
          results.get("claimName") in claims and results.get("claimName") != photos.get("claimName")
          and not results_mount.get("readOnly"), repr(results_mount))
    threads = next((e for e in c.get("env", []) if e["name"] == "RAYON_NUM_THREADS"), {})
    check("threads follow the CPU limit",
          dig(threads, "valueFrom", "resourceFieldRef", "resource") == "limits.cpu", repr(threads))
    # Each thread holds one decoded photo: the limit must cover the largest photo the
    # decoder accepts (120 MP, measured ~860 MB per thread) on every thread.
    cpus = quantity(dig(c, "resources", "limits", "cpu", default="0"))
    mem = quantity(dig(c, "resources", "limits", "memory", default="0"))
    check("memory limit covers 860 MB per thread", mem >= cpus * 860e6 + 64 * 2**20,
          f"{mem / 2**20:.0f} Mi for {cpus:g} threads")


def main():
    docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
    if sys.argv[1:] == ["batch"]:
        main_batch(docs)
    elif sys.argv[1:] == ["custom-model"]:
        main_custom_model(docs)
    else:
        main_web(docs)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
