#!/bin/sh
# deploy/kubernetes/ cannot be applied here (no cluster): check what a
# reviewer would. Every file parses as YAML; the DaemonSet runs memtop with
# options memtop has, on the port its Service and annotations name, with the
# host at /host read-only, hostPID, SYS_PTRACE and no other capability,
# requests and a memory limit; the README explains the debug pod. Issue 17:
# Linux nodes only, the recommended app.kubernetes.io labels on every
# object, one scrape-annotation path (the pods), dual-stack --serve (and an
# exporter of that form answers on 127.0.0.1 and ::1), kustomization.yaml
# builds (kubectl kustomize, when kubectl is here), a .dockerignore that
# keeps .git and build trees out of the image.
: "${MEMTOP:=$PWD/memtop}"
top=${TOP_SRCDIR:-.}
command -v python3 > /dev/null && python3 -c 'import yaml' 2> /dev/null ||
    { echo "ERROR: python3-yaml missing (scripts/setup.sh --test installs it)"; exit 99; }
"$MEMTOP" --help > help.$$ || exit 99
kust=kust.$$
kfail=0
if command -v kubectl > /dev/null; then
	kubectl kustomize "$top/deploy/kubernetes" > $kust 2> $kust.err ||
	    { echo "FAIL: kubectl kustomize deploy/kubernetes:"; cat $kust.err;
	    kfail=1; : > $kust; }
else
	echo "kubectl not installed: kustomization.yaml checked as YAML only"
	: > $kust
fi
python3 - "$top/deploy/kubernetes" help.$$ "$top/README.md" "$top/deploy/prometheus/scrape.yaml" $kust "$top/.dockerignore" <<'PY'
import glob, os, re, sys, yaml
d, helpfile, readme, scrape, kust, dockerignore = sys.argv[1:7]
helptext = open(helpfile).read()
fail = 0
def check(desc, ok):
    global fail
    print(("ok: " if ok else "FAIL: ") + desc)
    if not ok:
        fail = 1
docs = {}
for f in sorted(glob.glob(os.path.join(d, "*.yaml"))):
    try:
        for doc in yaml.safe_load_all(open(f)):
            if doc and "kind" in doc:
                docs.setdefault(doc["kind"], []).append(doc)
                if doc["kind"] == "Kustomization":
                    continue
                lb = doc["metadata"].get("labels", {})
                for k in ("name", "instance", "version", "component",
                          "part-of", "managed-by"):
                    check("%s %s: label app.kubernetes.io/%s" % (os.path.basename(f),
                          doc["kind"], k), "app.kubernetes.io/" + k in lb)
        check(os.path.basename(f) + " parses", True)
    except yaml.YAMLError as e:
        check(os.path.basename(f) + " parses: " + str(e), False)
ds = docs.get("DaemonSet", [None])[0]
check("a DaemonSet", ds is not None)
if ds is None:
    sys.exit(1)
spec = ds["spec"]["template"]["spec"]
c = spec["containers"][0]
args = c.get("args", [])
check("hostPID", spec.get("hostPID") is True)
check("no service account token", spec.get("automountServiceAccountToken") is False)
for a in args:
    if a.startswith("--"):
        check("option %s is one of memtop's" % a, re.search(r"(^|\s)" + re.escape(a) + r"\b", helptext) is not None)
def arg(name):
    return args[args.index(name) + 1] if name in args else None
check("--host-root /host", arg("--host-root") == "/host")
check("--cgroup-root /host/sys/fs/cgroup", arg("--cgroup-root") == "/host/sys/fs/cgroup")
serve = arg("--serve") or ""
port = int(serve.rsplit(":", 1)[1]) if ":" in serve else None
check("--serve on a port (%s)" % serve, port is not None)
check("containerPort = the --serve port", any(p["containerPort"] == port for p in c.get("ports", [])))
ann = ds["spec"]["template"]["metadata"].get("annotations", {})
check("prometheus.io/port annotation = the --serve port", ann.get("prometheus.io/port") == str(port))
sc = c["securityContext"]
caps = sc.get("capabilities", {})
check("capabilities: drop ALL", caps.get("drop") == ["ALL"])
check("capabilities: add only SYS_PTRACE", caps.get("add") == ["SYS_PTRACE"])
check("not privileged", not sc.get("privileged", False))
check("read-only root filesystem", sc.get("readOnlyRootFilesystem") is True)
check("no privilege escalation", sc.get("allowPrivilegeEscalation") is False)
mounts = {m["name"]: m for m in c.get("volumeMounts", [])}
vols = {v["name"]: v for v in spec.get("volumes", [])}
host = [n for n, m in mounts.items() if m["mountPath"] == "/host"]
check("the host mounted at /host", len(host) == 1)
if host:
    check("/host read-only", mounts[host[0]].get("readOnly") is True)
    check("/host is the host's /", vols[host[0]].get("hostPath", {}).get("path") == "/")
res = c.get("resources", {})
check("cpu and memory requests", "cpu" in res.get("requests", {}) and "memory" in res.get("requests", {}))
check("a memory limit", "memory" in res.get("limits", {}))
probes = [c.get("readinessProbe", {}), c.get("livenessProbe", {})]
check("probes on paths memtop answers", all(p.get("httpGet", {}).get("path") in ("/metrics", "/healthz") for p in probes))
svc = docs.get("Service", [None])[0]
check("a Service selecting the DaemonSet's pods", svc is not None and
      svc["spec"]["selector"].items() <= ds["spec"]["template"]["metadata"]["labels"].items())
if svc:
    check("the Service's port = the --serve port", any(p["port"] == port for p in svc["spec"]["ports"]))
check("a ServiceMonitor example", "ServiceMonitor" in docs)
# (Debian's promtool is built without Kubernetes discovery: parse it here)
job = yaml.safe_load(open(scrape))["scrape_configs"][0]
check("scrape job: pods of the memtop namespace",
      job["kubernetes_sd_configs"][0]["role"] == "pod" and
      job["kubernetes_sd_configs"][0]["namespaces"]["names"] == [ds["metadata"]["namespace"]])
check("scrape job: keeps memtop's own labels (honor_labels)", job.get("honor_labels") is True)
check("scrape job: uses the port annotation",
      any("prometheus_io_port" in " ".join(r.get("source_labels", [])) for r in job["relabel_configs"]))
# issue 17
check("nodeSelector kubernetes.io/os: linux",
      spec.get("nodeSelector", {}).get("kubernetes.io/os") == "linux")
tl = ds["spec"]["template"]["metadata"].get("labels", {})
check("the pod template has the recommended labels",
      all("app.kubernetes.io/" + k in tl for k in ("name", "instance",
          "version", "component", "part-of", "managed-by")))
check("the selector is a subset of the pod labels",
      ds["spec"]["selector"]["matchLabels"].items() <= tl.items())
check("the version label is the image's tag",
      c["image"].rsplit(":", 1)[1] == tl.get("app.kubernetes.io/version"))
check("one scrape-annotation path: the pods (the Service has none)",
      ann.get("prometheus.io/scrape") == "true" and svc is not None and
      not any(k.startswith("prometheus.io/") for k in
              svc["metadata"].get("annotations", {}) or {}))
check("--serve listens dual-stack ([::]:PORT)", serve.startswith("[::]:"))
sm = open(os.path.join(d, "servicemonitor.yaml")).read()
check("ServiceMonitor: honorLabels true, and its comment says true keeps "
      "memtop's labels and false renames them exported_*",
      re.search(r"honorLabels: true keeps memtop's", sm) is not None and
      re.search(r"false would keep the target's and rename\s+#\s+memtop's "
                r"to exported_", sm) is not None)
k = docs.get("Kustomization", [None])[0]
check("a kustomization.yaml", k is not None)
if k:
    for r in k.get("resources", []):
        check("kustomization resource %s exists" % r, os.path.exists(os.path.join(d, r)))
    check("kustomization: the namespace, the DaemonSet and the Service",
          {"namespace.yaml", "daemonset.yaml", "service.yaml"} <= set(k["resources"]))
built = [x for x in yaml.safe_load_all(open(kust)) if x] if os.path.getsize(kust) else []
if built:
    kinds = sorted(x["kind"] for x in built)
    check("kubectl kustomize: Namespace, DaemonSet, Service (%s)" % kinds,
          kinds == ["DaemonSet", "Namespace", "Service"])
    bds = [x for x in built if x["kind"] == "DaemonSet"][0]
    check("kubectl kustomize: managed-by kustomize on the pods",
          bds["spec"]["template"]["metadata"]["labels"].get(
              "app.kubernetes.io/managed-by") == "kustomize")
    check("kubectl kustomize: the selector untouched",
          bds["spec"]["selector"] == ds["spec"]["selector"])
    check("kubectl kustomize: the image", bds["spec"]["template"]["spec"]
          ["containers"][0]["image"] == c["image"])
ign = open(dockerignore).read().split("\n") if os.path.exists(dockerignore) else []
for pat in (".git", "build/", "build-*/", "*.o"):
    check(".dockerignore has %s" % pat, pat in ign)
text = open(readme).read()
check("README: says which scrape-annotation path and why",
      re.search(r"one scrape-annotation path", text) is not None)
check("README: a section 'Running memtop in a debug pod'", "## Running memtop in a debug pod" in text)
check("README: kubectl debug node/", "kubectl debug node/" in text)
check("README: the TUI against /host", "--host-root /host" in text)
sys.exit(fail)
PY
rc=$?
rm -f help.$$ $kust $kust.err
[ $kfail -ne 0 ] && rc=1
[ $rc -ne 0 ] && exit $rc

# one --serve of the DaemonSet's form (port 0: a free one) answers on IPv4
# and IPv6 loopback
form=$(sed -n '/- --serve/{n;p;}' "$top/deploy/kubernetes/daemonset.yaml" | tr -d ' "-')
command -v curl > /dev/null || { echo "SKIP: no curl for the dual-stack check"; exit 0; }
err=$(mktemp /tmp/memtop-serve.XXXXXX)
"$MEMTOP" --serve "${form%:*}:0" -d 1 2> "$err" & pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$err"' EXIT
i=0
until grep -q 'serving http' "$err" || [ $i -ge 100 ]; do
	sleep 0.1; i=$((i + 1))	# poll, bounded by the count
done
port=$(sed -n 's|.*serving http://.*:\([0-9]*\)/metrics|\1|p' "$err")
[ -n "$port" ] || { echo "FAIL: memtop --serve ${form%:*}:0 did not start:"; cat "$err"; exit 1; }
v4=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
[ "$v4" = 200 ] && echo "ok: --serve $form answers on 127.0.0.1" ||
    { echo "FAIL: --serve $form: 127.0.0.1 answered '$v4'"; rc=1; }
if ip -6 addr show lo 2> /dev/null | grep -q '::1/128'; then
	v6=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://[::1]:$port/healthz")
	[ "$v6" = 200 ] && echo "ok: --serve $form answers on ::1" ||
	    { echo "FAIL: --serve $form: ::1 answered '$v6'"; rc=1; }
else
	echo "no IPv6 loopback here: ::1 not tried"
fi
exit $rc
