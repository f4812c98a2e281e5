/*
 * memtop diff --replica POD [--json] [--host-root DIR] [--cgroup-root DIR]
 * A pod side by side with its healthiest replica on the node (the field
 * case's "same commands on a healthy pod"): every figure summed per pod,
 * B - A, where B stands against its replicas, and its diagnosis. Wiring
 * only: one refresh through the driver, the model finds the pods.
 */
#include "config.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/diagnosis.h"
#include "analyse/marks.h"
#include "cmd.h"
#include "collect/cgroup.h"
#include "collect/sample.h"
#include "model/refresh.h"
#include "model/tree.h"
#include "util/fmt.h"
#include "util/jsonu.h"

static const char usage[] =
    "usage: memtop diff --replica POD [--json] [--host-root DIR] "
    "[--cgroup-root DIR]\n"
    "  POD (namespace/pod, a pod name or its UID) side by side with its\n"
    "  healthiest replica on this node: A the replica with the least\n"
    "  anonymous memory, B the pod; every figure, B - A, and why\n";

/* The pod whose label, name or UID is want. */
static const struct tree_group *
find_pod(const struct tree *t, const char *want)
{
	char	label[512];
	size_t	i;

	for (i = 0; i < t->ngroups; i++) {
		const struct tree_group	*g = &t->groups[i];

		if (g->kind != ENT_POD)
			continue;
		if ((g->pod != NULL && strcmp(g->pod, want) == 0) ||
		    strcmp(g->pod_uid, want) == 0 ||
		    strcmp(tree_group_label(g, true, label, sizeof label),
		    want) == 0)
			return g;
	}
	return NULL;
}

static void
print_text(const struct tree *t, const struct tree_group *a,
    const struct tree_group *b)
{
	char		la[512], lb[512], x[32], y[32], d[32], rb[48];
	struct diag_set	ds;
	int		k;
	size_t		i;

	printf("A  %s  (healthiest replica)\nB  %s  (%s)\n\n",
	    tree_group_label(a, true, la, sizeof la),
	    tree_group_label(b, true, lb, sizeof lb),
	    tree_replicas_fmt(&b->st.rep, false, rb, sizeof rb));
	printf("%-12s %10s %10s %10s\n", "FIGURE", "A", "B", "B - A");
	for (k = 0; k < FIG__COUNT; k++) {
		struct fig_val	va = fig_sum_get(&a->sum, k);
		struct fig_val	vb = fig_sum_get(&b->sum, k);

		if (va.state == FIG_UNKNOWN || vb.state == FIG_UNKNOWN)
			snprintf(d, sizeof d, "-");
		else
			fmt_delta(d, sizeof d, (int64_t)(vb.v - va.v));
		printf("%-12s %10s %10s %10s%s\n", fig_table[k].title,
		    fmt_bytes(x, sizeof x, va.v), fmt_bytes(y, sizeof y, vb.v),
		    d, va.state == FIG_PARTIAL || vb.state == FIG_PARTIAL ?
		    "  (partial)" : "");
	}
	printf("%-12s %10s %10s\n", "Charge", fmt_bytes(x, sizeof x,
	    a->st.charge), fmt_bytes(y, sizeof y, b->st.charge));
	diagnose_group(t, b, &ds);
	for (i = 0; i < ds.n; i++)
		printf("\nwhy     %s\nadvice  %s\n", ds.d[i].text,
		    ds.d[i].advice);
}

static json_t *
pod_json(const struct tree_group *g)
{
	json_t	*o = json_object(), *tot = json_object();
	char	 label[512];
	int	 k;

	json_object_set_new(o, "entity", json_string(g->ident));
	json_object_set_new(o, "pod", json_string(tree_group_label(g, true,
	    label, sizeof label)));
	for (k = 0; k < FIG__COUNT; k++)
		json_object_set_new(tot, fig_table[k].key,
		    json_u64(fig_sum_get(&g->sum, k).v));
	json_object_set_new(o, "totals", tot);
	json_object_set_new(o, "charge", json_u64(g->st.charge));
	return o;
}

static int
print_json(const struct tree *t, const struct tree_group *a,
    const struct tree_group *b)
{
	json_t		*doc = json_object(), *diff = json_object(), *why;
	struct diag_set	 ds;
	size_t		 i;
	int		 k, rc;

	json_object_set_new(doc, "a", pod_json(a));
	json_object_set_new(doc, "b", pod_json(b));
	for (k = 0; k < FIG__COUNT; k++) {
		struct fig_val	va = fig_sum_get(&a->sum, k);
		struct fig_val	vb = fig_sum_get(&b->sum, k);

		json_object_set_new(diff, fig_table[k].key, va.state ==
		    FIG_UNKNOWN || vb.state == FIG_UNKNOWN ? json_null() :
		    json_integer((json_int_t)(vb.v - va.v)));
	}
	json_object_set_new(doc, "diff", diff);
	json_object_set_new(doc, "excess", b->st.rep.median == FIG_NA ?
	    json_null() : json_integer(b->st.rep.excess));
	json_object_set_new(doc, "siblings", json_integer(b->st.rep.siblings));
	why = json_array();
	diagnose_group(t, b, &ds);
	for (i = 0; i < ds.n; i++) {
		json_t	*d = json_object();

		json_object_set_new(d, "rule", json_string(ds.d[i].rule));
		json_object_set_new(d, "bytes", json_u64(ds.d[i].bytes));
		json_object_set_new(d, "text", json_string(ds.d[i].text));
		json_object_set_new(d, "advice", json_string(ds.d[i].advice));
		json_array_append_new(why, d);
	}
	json_object_set_new(doc, "diagnosis", why);
	rc = json_dumpf(doc, stdout, JSON_COMPACT) != 0 ||
	    fputc('\n', stdout) == EOF ? 1 : 0;
	json_decref(doc);
	return rc;
}

int
cmd_diff_replica(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "replica", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "host-root", required_argument, NULL, 'H' },
		{ "cgroup-root", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*pod = NULL, *host = "/", *cgroot = NULL;
	const char		*cause;
	bool			 json = false;
	struct cg_roots		 roots;
	struct sampler		*s;
	struct refresh		*r;
	struct refresh_opts	 ro = { .max_age = 10, .budget_ms = 1e9,
				    .interval = 1, .history = 2, .window = 1,
				    .topts = { TREE_BY_POD, false } };
	struct sort_key		 sk = { SORT_FIG, FIG_RSS, false };
	const struct snapshot	*sn;
	const struct tree_group	*b, *a;
	struct tree		 t;
	char			 label[512];
	int			 c, rc = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			pod = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'H':
			host = optarg;
			break;
		case 'C':
			cgroot = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (pod == NULL || optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (cgroot != NULL ? cgroup_roots_probe(cgroot, &roots) != 0 :
	    cgroup_roots_default(&roots) != 0)
		memset(&roots, 0, sizeof roots);
	s = sampler_create(&roots, "/proc", host, &cause);
	if (s == NULL) {
		fprintf(stderr, "memtop: %s\n", cause);
		return 1;
	}
	sampler_set_maps_hook(s, &marks_hook, NULL);
	ro.sort = &sk;
	r = refresh_create(s, &ro);
	if (refresh_next(r, NULL, &t, &sn, &cause) != 0) {
		fprintf(stderr, "memtop: %s\n", cause);
		goto out;
	}
	if ((b = find_pod(&t, pod)) == NULL) {
		fprintf(stderr, "memtop: no pod %s on this node\n", pod);
		goto done;
	}
	if (b->st.rep.kind == WL_NONE) {
		fprintf(stderr, "memtop: %s: its name is no workload's pod "
		    "name: no replicas to compare with\n",
		    tree_group_label(b, true, label, sizeof label));
		goto done;
	}
	if ((a = tree_healthiest_sibling(&t, b)) == NULL) {
		fprintf(stderr, "memtop: %s: no other replica of its %s on "
		    "this node\n", tree_group_label(b, true, label,
		    sizeof label), workload_kind_name(b->st.rep.kind));
		goto done;
	}
	if (json)
		rc = print_json(&t, a, b);
	else {
		print_text(&t, a, b);
		rc = 0;
	}
done:
	tree_done(&t);
out:
	refresh_free(r);
	sampler_free_at_exit(s);	/* the command's end: main returns */
	return rc;
}
