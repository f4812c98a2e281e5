/*
 * The model: entity identities and kinds, group sums with unknown members,
 * and what the batch and JSON writers make of them, on hand-made snapshots.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "analyse/diagnosis.h"
#include "model/column.h"
#include "model/entity.h"
#include "model/history.h"
#include "model/tree.h"
#include "output/batch.h"
#include "output/json.h"

#define MiB	(1ULL << 20)
#define UID0	"11111111-2222-3333-4444-555555555555"
#define CID(c)	c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
		c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
		c c c c

/* Two containers of one pod (two processes in the first), one service. */
struct node {
	struct snapshot		 sn;
	struct snap_proc	 p[4];
	struct cg_place		 pl[4];
	struct rt_names		 names[2];
};

static void
place(struct cg_place *pl, const char *path)
{
	snprintf(pl->path, sizeof pl->path, "%s", path);
	pl->hier = CG_HIER_V2;
	k8s_classify(pl->path, &pl->cls);
}

static void
node_init(struct node *nd)
{
	int	i, k;

	memset(nd, 0, sizeof *nd);
	snprintf(nd->sn.boot_id, sizeof nd->sn.boot_id,
	    "0f0e0d0c-0b0a-0908-0706-050403020100");
	for (i = 0; i < 4; i++) {
		struct snap_proc	*p = &nd->p[i];

		p->pid = 100 + i;
		p->start = 5000 + (unsigned long long)i;
		snprintf(p->comm, sizeof p->comm, "proc%c", 'a' + i);
		for (k = 0; k < FIG__COUNT; k++)
			p->fig[k] = (uint64_t)(i + 1) * MiB;
		p->place = &nd->pl[i];
		p->nmaps = p->nanon = -1;
		p->state = 'S';
	}
	place(&nd->pl[0], "/kubepods.slice/kubepods-burstable.slice/"
	    "kubepods-burstable-pod11111111_2222_3333_4444_555555555555.slice/"
	    "cri-containerd-" CID("a") ".scope");
	nd->pl[1] = nd->pl[0];
	place(&nd->pl[2], "/kubepods.slice/kubepods-burstable.slice/"
	    "kubepods-burstable-pod11111111_2222_3333_4444_555555555555.slice/"
	    "cri-containerd-" CID("b") ".scope");
	place(&nd->pl[3], "/system.slice/sshd.service");
	for (i = 0; i < 2; i++) {
		snprintf(nd->names[i].namespace, sizeof nd->names[i].namespace,
		    "shop");
		snprintf(nd->names[i].pod, sizeof nd->names[i].pod, "web-0");
		snprintf(nd->names[i].container, sizeof nd->names[i].container,
		    "%s", i == 0 ? "app" : "sidecar");
		snprintf(nd->names[i].pod_uid, sizeof nd->names[i].pod_uid,
		    UID0);
		nd->names[i].source = NAME_SRC_CONTAINERD;
	}
	nd->p[0].ctr_names = nd->p[1].ctr_names = &nd->names[0];
	nd->p[2].ctr_names = &nd->names[1];
	nd->sn.procs = nd->p;
	nd->sn.nprocs = 4;
}

static void
build(struct node *nd, enum tree_group_by by, struct tree *t)
{
	struct tree_opts	o = { by, false };

	tree_build(t, &nd->sn, &o, NULL, 0);
}

static const struct tree_group *
group(const struct tree *t, const char *ident)
{
	size_t	i;

	for (i = 0; i < t->ngroups; i++) {
		if (strcmp(t->groups[i].ident, ident) == 0)
			return &t->groups[i];
	}
	return NULL;
}

static void
test_identities(void **state)
{
	struct node		 nd;
	struct tree		 t;
	const struct tree_group	*g;
	char			 buf[ENT_PROC_ID_MAX];
	int			 pid;
	unsigned long long	 start;

	(void)state;
	node_init(&nd);
	build(&nd, TREE_BY_POD, &t);
	assert_int_equal(t.ngroups, 2);
	g = group(&t, "pod:" UID0);
	assert_non_null(g);
	assert_int_equal(g->kind, ENT_POD);
	assert_int_equal(g->nctrs, 2);
	assert_string_equal(g->ctrs[0].ident, "ctr:" CID("a"));
	assert_string_equal(g->ctrs[0].procs[0].ident,
	    "proc:0f0e0d0c-0b0a-0908-0706-050403020100:100:5000");
	g = group(&t, "cg:v2:/system.slice/sshd.service");
	assert_non_null(g);
	assert_int_equal(g->kind, ENT_SERVICE);
	assert_string_equal(g->ctrs[0].ident,
	    "cg:v2:/system.slice/sshd.service/-");
	tree_done(&t);

	/* a container's identity does not depend on the grouping */
	build(&nd, TREE_BY_CONTAINER, &t);
	g = group(&t, "ctr:" CID("a"));
	assert_non_null(g);
	assert_int_equal(g->kind, ENT_CONTAINER);
	assert_string_equal(g->ctrs[0].ident, "ctr:" CID("a"));
	tree_done(&t);
	build(&nd, TREE_BY_NAMESPACE, &t);
	g = group(&t, "ns:shop");
	assert_non_null(g);
	assert_int_equal(g->kind, ENT_NAMESPACE);
	assert_string_equal(g->ctrs[0].ident, "ctr:" CID("a"));
	tree_done(&t);

	/* a reused pid is a new process; the same one parses back */
	ent_id_process(buf, sizeof buf, "b", 100, 5000);
	assert_int_equal(ent_id_process_parse(buf, &pid, &start), 0);
	assert_int_equal(pid, 100);
	assert_int_equal(start, 5000);
	assert_string_not_equal(buf, ent_id_process((char[ENT_PROC_ID_MAX]){ 0 },
	    ENT_PROC_ID_MAX, "b", 100, 5001));
	assert_int_equal(ent_id_kind(buf), ENT_PROCESS);
	assert_int_equal(ent_id_kind("pod:x"), ENT_POD);
	assert_int_equal(ent_id_kind("pod:x/-"), ENT_CONTAINER);
	assert_int_equal(ent_id_process_parse("pod:x", &pid, &start), -1);
	assert_int_equal(ent_id_process_parse("proc:b:x:1", &pid, &start), -1);
}

/* The same process across refreshes keeps its history entity. */
static void
test_identity_across_refreshes(void **state)
{
	struct node		 nd;
	struct tree		 t;
	struct history		*h = history_create(10, 10);
	const struct hist_ghost	*gh;
	struct hist_ent		*e1;
	size_t			 ng;

	(void)state;
	node_init(&nd);
	gh = history_begin(h, &nd.sn, &ng);
	build(&nd, TREE_BY_POD, &t);
	history_update(h, &t);
	e1 = group(&t, "pod:" UID0)->ctrs[0].procs[0].st.hist;
	tree_done(&t);
	nd.p[0].fig[FIG_RSS_ANON] += 5 * MiB;
	gh = history_begin(h, &nd.sn, &ng);
	tree_build(&t, &nd.sn, &(struct tree_opts){ TREE_BY_POD, false }, gh,
	    ng);
	history_update(h, &t);
	assert_ptr_equal(group(&t, "pod:" UID0)->ctrs[0].procs[0].st.hist, e1);
	assert_int_equal(group(&t, "pod:" UID0)->ctrs[0].procs[0].st.growth,
	    5 * MiB);
	tree_done(&t);
	/* pid 100 reused (another start time): a new entity, no growth */
	nd.p[0].start = 9999;
	gh = history_begin(h, &nd.sn, &ng);
	tree_build(&t, &nd.sn, &(struct tree_opts){ TREE_BY_POD, false }, gh,
	    ng);
	history_update(h, &t);
	assert_int_equal(group(&t, "pod:" UID0)->ctrs[0].procs[0].st.growth, 0);
	assert_ptr_not_equal(group(&t, "pod:" UID0)->ctrs[0].procs[0].st.hist,
	    e1);
	tree_done(&t);
	history_free(h);
}

static void
test_sums_with_unknowns(void **state)
{
	struct fig_sum	s;
	uint64_t	a[FIG__COUNT], b[FIG__COUNT];
	struct fig_val	v;
	int		k;

	(void)state;
	memset(&s, 0, sizeof s);
	v = fig_sum_get(&s, FIG_PSS);		/* no member: unknown */
	assert_int_equal(v.state, FIG_UNKNOWN);
	assert_true(v.v == FIG_NA);
	for (k = 0; k < FIG__COUNT; k++) {
		a[k] = 3 * MiB;
		b[k] = FIG_NA;
	}
	fig_sum_add(&s, b);
	v = fig_sum_get(&s, FIG_PSS);		/* all unknown */
	assert_int_equal(v.state, FIG_UNKNOWN);
	assert_true(v.v == FIG_NA);
	fig_sum_add(&s, a);
	v = fig_sum_get(&s, FIG_PSS);		/* some unknown */
	assert_int_equal(v.state, FIG_PARTIAL);
	assert_int_equal(v.v, 3 * MiB);
	memset(&s, 0, sizeof s);
	fig_sum_add(&s, a);
	fig_sum_add(&s, a);
	v = fig_sum_get(&s, FIG_PSS);		/* none unknown */
	assert_int_equal(v.state, FIG_KNOWN);
	assert_int_equal(v.v, 6 * MiB);
	/* a known 0 stays 0 */
	a[FIG_SWAP] = 0;
	memset(&s, 0, sizeof s);
	fig_sum_add(&s, a);
	v = fig_sum_get(&s, FIG_SWAP);
	assert_int_equal(v.state, FIG_KNOWN);
	assert_int_equal(v.v, 0);
	v = fig_proc_get(b, FIG_PSS);
	assert_int_equal(v.state, FIG_UNKNOWN);
}

static char *
render(struct node *nd, enum tree_group_by by, bool json)
{
	struct tree	 t;
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*f = open_memstream(&buf, &len);
	struct sort_key	 k = { SORT_FIG, FIG_RSS, false };

	build(nd, by, &t);
	tree_sort(&t, &k);
	nd->sn.mem_total = nd->sn.mem_available = FIG_NA;
	if (json)
		assert_int_equal(json_write_snapshot(f, &nd->sn, &t), 0);
	else
		assert_int_equal(batch_write_snapshot(f, &nd->sn, &t), 0);
	fclose(f);
	tree_done(&t);
	return buf;
}

/* The KIND column and JSON "kind" agree for every --group-by. */
static void
test_kinds_agree(void **state)
{
	static const struct {
		enum tree_group_by	 by;
		const char		*first;
	} cases[] = {
		{ TREE_BY_POD, "pod" },
		{ TREE_BY_CONTAINER, "container" },
		{ TREE_BY_NAMESPACE, "namespace" },
		{ TREE_BY_CGROUP, "pod" },
	};
	struct node	nd;
	size_t		i;

	(void)state;
	node_init(&nd);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char		*text = render(&nd, cases[i].by, false);
		char		*js = render(&nd, cases[i].by, true);
		json_error_t	 jerr;
		json_t		*doc = json_loads(js, 0, &jerr);

		if (doc == NULL)
			fprintf(stderr, "%s: %s\n", jerr.text, js);
		json_t		*g;
		size_t		 gi;
		char		 line[64];

		assert_non_null(doc);
		json_array_foreach(json_object_get(doc, "groups"), gi, g) {
			const char *kind = json_string_value(json_object_get(g,
			    "kind"));

			char *gs = json_dumps(g, 0);

			if (strstr(gs, "\"pid\":100,") != NULL)
				assert_string_equal(kind, cases[i].first);
			free(gs);
			/* that group's text row starts with the same word */
			snprintf(line, sizeof line, "\n%-10s ", kind);
			assert_non_null(strstr(text, line));
		}
		assert_non_null(strstr(text, "\nservice    /system.slice/"
		    "sshd.service"));
		json_decref(doc);
		free(text);
		free(js);
	}
}

/* Partly and wholly unknown sums in JSON and text. */
static void
test_writers_unknowns(void **state)
{
	struct node	 nd;
	char		*js, *text;
	json_t		*doc, *pod, *svc;
	int		 k;

	(void)state;
	node_init(&nd);
	/* process b (second container) and the service: PSS unreadable */
	for (k = FIG_PSS; k < FIG__COUNT; k++)
		nd.p[2].fig[k] = nd.p[3].fig[k] = FIG_NA;
	js = render(&nd, TREE_BY_POD, true);
	doc = json_loads(js, 0, NULL);
	assert_non_null(doc);
	pod = json_array_get(json_object_get(doc, "groups"), 0);
	svc = json_array_get(json_object_get(doc, "groups"), 1);
	assert_string_equal(json_string_value(json_object_get(pod, "entity")),
	    "pod:" UID0);
	/* pod: 1 + 2 MiB known of three members: partial */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(pod,
	    "totals"), "pss")), 3 * MiB);
	assert_int_equal(json_integer_value(json_object_get(pod, "members")), 3);
	assert_true(json_array_size(json_object_get(pod, "partial")) > 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(pod,
	    "partial"), 0)), "pss");
	/* rss is known for all: not partial */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(pod,
	    "totals"), "rss")), 6 * MiB);
	/* service: its only member's PSS unknown: null, not 0 */
	assert_true(json_is_null(json_object_get(json_object_get(svc,
	    "totals"), "pss")));
	assert_true(json_is_null(json_object_get(json_object_get(svc,
	    "totals"), "swap")));
	assert_int_equal(json_array_size(json_object_get(svc, "partial")), 0);
	json_decref(doc);
	free(js);

	/* text: '>' before the partial sum, '-' for the unknown one */
	text = render(&nd, TREE_BY_POD, false);
	assert_non_null(strstr(text, "shop/web-0"));
	assert_non_null(strstr(text, "   >3.0M"));
	/* the service's PSS (third column) is unknown: '-', never 0 */
	{
		char	kind[16], name[64], rss[16], rss_anon[16], pss[16];

		assert_int_equal(sscanf(strstr(text, "\nservice "),
		    "%15s %63s %15s %15s %15s", kind, name, rss, rss_anon, pss),
		    5);
		assert_string_equal(rss, "4.0M");
		assert_string_equal(pss, "-");
	}
	free(text);
}

/*
 * Renders the node after a change: `renders` objects encoded again, and the
 * document the same as one rendered from nothing. Returns it.
 */
static char *
render_changed(struct node *nd, size_t renders)
{
	size_t	 r0 = json_render_count();
	char	*b, *fresh;

	b = render(nd, TREE_BY_POD, true);
	assert_int_equal(json_render_count(), r0 + renders);
	json_cache_free();
	fresh = render(nd, TREE_BY_POD, true);
	assert_string_equal(b, fresh);
	free(fresh);
	return b;
}

/*
 * The JSON render cache: an unchanged group, container or process is
 * written from its text, a changed figure renders it (and the sums it is
 * in) again, and the document is the same as one rendered from nothing.
 * The node: a pod (containers a: 2 processes, b: 1) and a service (1).
 */
static void
test_json_render_cache(void **state)
{
	struct node	 nd;
	char		*a, *b, *c, *fresh;
	size_t		 r0;
	json_t		*doc;

	(void)state;
	node_init(&nd);
	json_cache_free();
	r0 = json_render_count();
	a = render(&nd, TREE_BY_POD, true);
	assert_int_equal(json_render_count(), r0 + 2 + 3 + 4);
	b = render(&nd, TREE_BY_POD, true);
	assert_int_equal(json_render_count(), r0 + 9);	/* none changed */
	assert_string_equal(a, b);
	free(b);

	/* one figure of one process: it, its container's and pod's sums */
	nd.p[1].fig[FIG_RSS_ANON] += MiB;
	b = render_changed(&nd, 3);
	assert_string_not_equal(a, b);
	assert_non_null(strstr(b, "\"rss_anon\":3145728"));
	assert_non_null(strstr(b, "\"rss_anon\":4194304"));	/* container a */
	free(b);

	/* a container's name: that container alone */
	snprintf(nd.names[1].container, sizeof nd.names[1].container, "cache");
	b = render_changed(&nd, 1);
	assert_non_null(strstr(b, "\"name\":\"cache\""));
	free(b);

	/* pss_age moves every refresh: written fresh, nothing rendered */
	r0 = json_render_count();
	nd.p[0].rollup_age = 2.5;
	b = render(&nd, TREE_BY_POD, true);
	assert_int_equal(json_render_count(), r0);
	doc = json_loads(b, 0, NULL);
	assert_non_null(doc);
	json_decref(doc);
	assert_non_null(strstr(b, "\"pid\":100,"));
	assert_non_null(strstr(strstr(b, "\"pid\":100,"), "\"pss_age\":2.5}"));
	free(b);

	/* a process left out of a document is dropped from the cache */
	nd.sn.nprocs = 3;
	free(render(&nd, TREE_BY_POD, true));
	assert_int_equal(json_render_count(), r0);
	nd.sn.nprocs = 4;
	free(render(&nd, TREE_BY_POD, true));
	assert_int_equal(json_render_count(), r0 + 3);	/* the service's */

	/*
	 * A last document (-b -n N's Nth) is the same text, from what was
	 * kept and what it renders, and keeps nothing: the next renders all.
	 */
	r0 = json_render_count();
	b = render(&nd, TREE_BY_POD, true);
	assert_int_equal(json_render_count(), r0);
	nd.p[1].fig[FIG_RSS_ANON] += MiB;	/* 3 to render again */
	free(b);
	b = render(&nd, TREE_BY_POD, true);
	nd.p[1].fig[FIG_RSS_ANON] -= MiB;
	r0 = json_render_count();
	json_cache_last();
	c = render(&nd, TREE_BY_POD, true);
	assert_int_equal(json_render_count(), r0 + 3);
	json_cache_free();
	fresh = render(&nd, TREE_BY_POD, true);
	assert_string_equal(c, fresh);
	assert_string_not_equal(b, c);
	free(fresh);
	free(c);
	free(b);
	json_cache_free();
	r0 = json_render_count();
	json_cache_last();
	c = render(&nd, TREE_BY_POD, true);
	assert_int_equal(json_render_count(), r0 + 9);
	free(render(&nd, TREE_BY_POD, true));
	assert_int_equal(json_render_count(), r0 + 18);	/* none was kept */
	free(c);
	json_cache_free();
	free(a);
}

/*
 * A whole document, hostile names included, is the text jansson dumps for
 * what it loads from it (src/output/jsonw.c writes jansson's format).
 */
static void
test_json_as_jansson(void **state)
{
	struct node	 nd;
	char		*js, *again;
	json_t		*doc;

	(void)state;
	node_init(&nd);
	snprintf(nd.p[0].comm, sizeof nd.p[0].comm, "q\"b\\\x01\xc3\xa9");
	nd.p[1].cmdline = "node\t--x=\xf0\x9f\x98\x80 /srv/\"a b\"";
	nd.p[2].rollup_age = 0.1;
	nd.p[3].fig[FIG_SWAP] = 0;
	snprintf(nd.names[1].container, sizeof nd.names[1].container,
	    "c\xe2\x80\xa8\x7f");
	json_cache_free();
	js = render(&nd, TREE_BY_POD, true);
	assert_true(strlen(js) > 0 && js[strlen(js) - 1] == '\n');
	js[strlen(js) - 1] = '\0';
	doc = json_loads(js, 0, NULL);
	assert_non_null(doc);
	again = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII);
	assert_string_equal(js, again);
	assert_non_null(strstr(js, "\"comm\":\"q\\\"b\\\\\\u0001\\u00E9\""));
	free(again);
	json_decref(doc);
	json_cache_free();
	free(js);
}

/* The -b header, as users' scripts read it. */
static void
test_batch_header(void **state)
{
	struct node	 nd;
	char		*text;
	size_t		 i;

	(void)state;
	node_init(&nd);
	text = render(&nd, TREE_BY_POD, false);
	assert_non_null(strstr(text, "\n"
	    "KIND       NAME                                         "
	    "           RSS  RssAnon      PSS  PssAnon  PssFile ShrCl"
	    "ean PrvDirty     Swap   Charge    Limit     WSet   Growt"
	    "h   vsReplicas\n"));
	free(text);
	/* every figure has a column, and its key is its sort key */
	for (i = 0; i < FIG__COUNT; i++)
		assert_int_equal(col_by_key(fig_table[i].key),
		    col_of_fig((int)i));
}

/* What a GC proved, on the field case's figures. */
static void
test_gc_proved(void **state)
{
	struct node		 nd;
	struct tree		 t;
	struct tree_group	 g;
	struct diag_gc		 d = { 648 * MiB, 83 * MiB, 11 * MiB, false };
	char			 buf[400];

	(void)state;
	node_init(&nd);
	build(&nd, TREE_BY_POD, &t);
	memset(&g, 0, sizeof g);
	g.kind = ENT_POD;
	g.st.rep.median = 330 * MiB;
	g.st.rep.excess = 12 * MiB;
	assert_true(diagnose_gc(&t, &g, &d, buf, sizeof buf));
	assert_string_equal(buf, "GC freed 565M of 648M RSS (87 %): it was V8 "
	    "garbage; the pod is now +12M over its replicas, of which 11M is "
	    "outside V8");
	/* without replicas: what it freed only */
	g.st.rep.median = FIG_NA;
	assert_true(diagnose_gc(&t, &g, &d, buf, sizeof buf));
	assert_string_equal(buf, "GC freed 565M of 648M RSS (87 %): it was V8 "
	    "garbage");
	/* little freed */
	d.rss_after = 640 * MiB;
	assert_true(diagnose_gc(&t, NULL, &d, buf, sizeof buf));
	assert_non_null(strstr(buf, "little of it was garbage"));
	/* nothing measured: nothing said */
	d.rss_after = FIG_NA;
	assert_false(diagnose_gc(&t, &g, &d, buf, sizeof buf));
	tree_done(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identities),
		cmocka_unit_test(test_identity_across_refreshes),
		cmocka_unit_test(test_sums_with_unknowns),
		cmocka_unit_test(test_kinds_agree),
		cmocka_unit_test(test_writers_unknowns),
		cmocka_unit_test(test_json_render_cache),
		cmocka_unit_test(test_json_as_jansson),
		cmocka_unit_test(test_batch_header),
		cmocka_unit_test(test_gc_proved),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
