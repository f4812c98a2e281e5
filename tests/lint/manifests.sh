#!/bin/sh
# deploy/kubernetes/ cannot be applied here (no cluster): check what a
# reviewer would. Every file parses as YAML; the DaemonSet runs memtop with
# options memtop has, on the port its Service and annotations name, with the
# host at /host read-only, hostPID, SYS_PTRACE and no other capability,
# requests and a memory limit; the README explains the debug pod.
: "${MEMTOP:=$PWD/memtop}"
top=${TOP_SRCDIR:-.}
command -v python3 > /dev/null && python3 -c 'import yaml' 2> /dev/null ||
    { echo "ERROR: python3-yaml missing (scripts/setup.sh --test installs it)"; exit 99; }
"$MEMTOP" --help > help.$$ || exit 99
python3 - "$top/deploy/kubernetes" help.$$ "$top/README.md" "$top/deploy/prometheus/scrape.yaml" <<'PY'
import glob, os, re, sys, yaml
d, helpfile, readme, scrape = sys.argv[1:5]
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
text = open(readme).read()
check("README: a section 'Running memtop in a debug pod'", "## Running memtop in a debug pod" in text)
check("README: kubectl debug node/", "kubectl debug node/" in text)
check("README: the TUI against /host", "--host-root /host" in text)
sys.exit(fail)
PY
rc=$?
rm -f help.$$
exit $rc
