#!/usr/bin/env python3
"""Test helper: OpenMetrics text (with timestamps) for promtool tsdb
create-blocks-from openmetrics: a StatefulSet NS/STEM-0..N*R-1 of R replicas
on each of N nodes (node label NODE_i, instance label NODE_i:10250), every
STEP seconds from NOW-HOURS to NOW+AHEAD, kubelet/cAdvisor style
(container_memory_rss, container_memory_working_set_bytes, with the pod's
total container="" and the sandbox container="POD" as cAdvisor has them),
and memtop style (memtop_container_rss_anon_bytes and
memtop_container_memory_working_set_bytes) for the pods of the first node.
Replica i holds BASE + i MiB of anonymous memory (cAdvisor's rss a further
3 MiB, so a test can tell which family was used); the sick replica SICK
steps 230 -> 400 -> 640 MiB over the last 3 h: 230 until 100 min ago, 400
until 40 min ago, 640 since.

usage: prom_history.py NOW NS STEM NODES(comma) REPLICAS_PER_NODE SICK
       [HOURS=6] [STEP=60] [AHEAD=900] [BASE=200]
With PROM_FIRST_INSTANCE=ADDR in the environment, the first node's series
have no node label and instance ADDR:10250 (cAdvisor's) or ADDR, without
a port (memtop's), instead of its name (a scrape config that labels by
address).
It also prints, on stderr, "median_others SICK_POD BYTES": the median of the
other replicas' anonymous memory now (memtop's figure where there is one,
else cAdvisor's, as memtop prefers them).
"""
import os
import sys

MIB = 1 << 20


def sick_mib(age):
    if age > 100 * 60:
        return 230
    if age > 40 * 60:
        return 400
    return 640


def main():
    now = int(float(sys.argv[1]))
    ns, stem = sys.argv[2], sys.argv[3]
    nodes = sys.argv[4].split(",")
    per = int(sys.argv[5])
    sick = int(sys.argv[6])
    hours = float(sys.argv[7]) if len(sys.argv) > 7 else 6
    step = int(sys.argv[8]) if len(sys.argv) > 8 else 60
    ahead = int(sys.argv[9]) if len(sys.argv) > 9 else 900
    base = int(sys.argv[10]) if len(sys.argv) > 10 else 200
    start = now - int(hours * 3600)
    addr = os.environ.get("PROM_FIRST_INSTANCE", "")
    pods = []
    for n, node in enumerate(nodes):
        for r in range(per):
            i = n * per + r
            pods.append((i, "%s-%d" % (stem, i), node, n == 0))

    def anon(i, t):
        if i == sick:
            return sick_mib(now - t) * MIB
        return (base + i) * MIB

    out = sys.stdout
    fams = [("container_memory_rss", False, 3 * MIB),
            ("container_memory_working_set_bytes", False, 40 * MIB),
            ("memtop_container_rss_anon_bytes", True, 0),
            ("memtop_container_memory_working_set_bytes", True, 40 * MIB)]
    for fam, memtop, extra in fams:
        out.write("# TYPE %s gauge\n" % fam)
        for i, pod, node, first in pods:
            if memtop and not first:
                continue
            inst = "%s:10250" % node
            if memtop:
                lab = ['namespace="%s",pod="%s",container="db",node="%s",'
                       'instance="%s:9852"' % (ns, pod, node, node)]
            else:
                cid = "/kubepods/pod%04d/c%04d" % (i, i)
                lab = ['namespace="%s",pod="%s",container="db",node="%s",'
                       'instance="%s",id="%s"' % (ns, pod, node, inst, cid),
                       'namespace="%s",pod="%s",container="",node="%s",'
                       'instance="%s",id="/kubepods/pod%04d"'
                       % (ns, pod, node, inst, i),
                       'namespace="%s",pod="%s",container="POD",node="%s",'
                       'instance="%s",id="/kubepods/pod%04d/pause"'
                       % (ns, pod, node, inst, i)]
            if first and addr:
                lab = [l.replace('node="%s",' % node, '')
                       .replace('instance="%s:9852"' % node,
                                'instance="%s"' % addr)
                       .replace('instance="%s:' % node, 'instance="%s:' % addr)
                       for l in lab]
            for li, l in enumerate(lab):
                for t in range(start, now + ahead + 1, step):
                    v = anon(i, t) + extra
                    if li == 1:
                        v += 1 * MIB	# the pod's total: + the sandbox
                    elif li == 2:
                        v = 1 * MIB
                    out.write("%s{%s} %d %d\n" % (fam, l, v, t))
    out.write("# EOF\n")
    # what memtop sees: memtop's own figure where it has one, else cAdvisor's
    others = sorted(anon(i, now) + (0 if first else 3 * MIB)
                    for i, _, _, first in pods if i != sick)
    m = len(others)
    med = others[m // 2] if m % 2 else (others[m // 2 - 1] + others[m // 2]) // 2
    sys.stderr.write("median_others %s-%d %d\n" % (stem, sick, med))


main()
