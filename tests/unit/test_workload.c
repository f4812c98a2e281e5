/*
 * Workloads from pod names, on real names: the Kubernetes docs' examples,
 * kubectl output quoted in issue threads, this repository's fixtures
 * (shared/fixtures/k8s-cgroups), and names that look alike but are not.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "model/workload.h"

static const struct {
	const char	*pod;
	const char	*node;
	enum wl_kind	 kind;
	const char	*stem;
} cases[] = {
	/* Deployments (kube-system defaults, docs, ingress-nginx) */
	{ "coredns-5d78c9869d-2xq7w", NULL, WL_DEPLOYMENT, "coredns" },
	{ "coredns-565d847f94-8fmnj", NULL, WL_DEPLOYMENT, "coredns" },
	{ "nginx-deployment-66b6c48dd5-4jw2p", NULL, WL_DEPLOYMENT,
	  "nginx-deployment" },
	{ "metrics-server-6d94bc8694-7tvqz", NULL, WL_DEPLOYMENT,
	  "metrics-server" },
	{ "ingress-nginx-controller-7d9f7d8f5b-xk2lp", NULL, WL_DEPLOYMENT,
	  "ingress-nginx-controller" },
	{ "shop-checkout-5f7c9bd8d-vkq2w", NULL, WL_DEPLOYMENT,
	  "shop-checkout" },
	/* StatefulSets (docs' web-0, fixtures' alertmanager-main-1) */
	{ "web-0", NULL, WL_STATEFULSET, "web" },
	{ "web-7", NULL, WL_STATEFULSET, "web" },
	{ "web-61", NULL, WL_STATEFULSET, "web" },
	{ "alertmanager-main-1", NULL, WL_STATEFULSET, "alertmanager-main" },
	{ "prometheus-k8s-0", NULL, WL_STATEFULSET, "prometheus-k8s" },
	{ "argocd-application-controller-0", NULL, WL_STATEFULSET,
	  "argocd-application-controller" },
	/* DaemonSets and Jobs (fixtures' calico-node-hx7cw, docs' pi-5rwd7) */
	{ "calico-node-hx7cw", NULL, WL_DAEMONSET_JOB, "calico-node" },
	{ "kube-proxy-7xq9z", NULL, WL_DAEMONSET_JOB, "kube-proxy" },
	{ "pi-5rwd7", NULL, WL_DAEMONSET_JOB, "pi" },
	{ "ingress-nginx-admission-create-xq7rb", NULL, WL_DAEMONSET_JOB,
	  "ingress-nginx-admission-create" },
	/* CronJobs: the scheduled minute since the epoch */
	{ "hello-27837456-8xj9z", NULL, WL_CRONJOB, "hello" },
	{ "db-backup-29411520-2bq4k", NULL, WL_CRONJOB, "db-backup" },
	/* static pods: NAME-<node name> (fixtures) */
	{ "kube-controller-manager-ip-10-0-101-216.eu-west-1.compute.internal",
	  "ip-10-0-101-216.eu-west-1.compute.internal", WL_STATIC,
	  "kube-controller-manager" },
	{ "kube-apiserver-pa-drs-cluster", "pa-drs-cluster", WL_STATIC,
	  "kube-apiserver" },
	{ "etcd-minikube", "minikube", WL_STATIC, "etcd" },
	/* kubelet's node name in another case, or the short host name */
	{ "etcd-minikube", "MiniKube", WL_STATIC, "etcd" },
	{ "kube-apiserver-master-1", "master-1.example.internal", WL_STATIC,
	  "kube-apiserver" },
	/* indexed Jobs: NAME-<index>-<5> */
	{ "indexed-job-0-x7k2p", NULL, WL_DAEMONSET_JOB, "indexed-job" },
	{ "indexed-job-12-b4wdq", NULL, WL_DAEMONSET_JOB, "indexed-job" },
	/* a name cut to 58 characters: the random suffix glued on */
	{ "payments-reconciliation-worker-with-a-long-name-7d9f7db4wdq",
	  NULL, WL_NONE,
	  "payments-reconciliation-worker-with-a-long-name-7d9f7db4wdq" },
	{ "payments-reconciliation-worker-with-a-very-long-na-7d9f7d8f5b4wdq",
	  NULL, WL_NONE,
	  "payments-reconciliation-worker-with-a-very-long-na-7d9f7d8f5b4wdq" },
	{ "payments-reconciliation-worker-with-a-very-long-7d9f7d8f5bb4wdq",
	  NULL, WL_DEPLOYMENT,
	  "payments-reconciliation-worker-with-a-very-long" },
	/* look-alikes */
	{ "etcd-minikube", NULL, WL_NONE, "etcd-minikube" },	/* other node */
	{ "web-07", NULL, WL_NONE, "web-07" },		/* no leading zero */
	{ "api-aeiou", NULL, WL_NONE, "api-aeiou" },	/* vowels: not random */
	{ "api-hello", NULL, WL_NONE, "api-hello" },
	{ "api-v2-0", NULL, WL_STATEFULSET, "api-v2" },
	{ "worker-2bq4k", NULL, WL_DAEMONSET_JOB, "worker" },
	{ "postgres", NULL, WL_NONE, "postgres" },
	{ "-5", NULL, WL_NONE, "-5" },
	{ "", NULL, WL_NONE, "" },
	/* a 5-character hash-like middle token is not a template hash */
	{ "app-2bq4k-2bq4k", NULL, WL_DAEMONSET_JOB, "app-2bq4k" },
};

static void
test_names(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct wl_name	w;
		char		stem[256];

		workload_parse(cases[i].pod, cases[i].node, &w);
		snprintf(stem, sizeof stem, "%.*s", (int)w.stem_len,
		    cases[i].pod);
		if (w.kind != cases[i].kind ||
		    strcmp(stem, cases[i].stem) != 0)
			fail_msg("%s: %s \"%s\", want %s \"%s\"", cases[i].pod,
			    workload_kind_name(w.kind), stem,
			    workload_kind_name(cases[i].kind), cases[i].stem);
	}
}

/*
 * The pod's owner from its labels (runtime state: docker's or CRI-O's
 * sandbox), where the names alone cannot tell or guess wrong.
 */
static const struct {
	const char	*pod;
	const char	*node;
	enum rt_owner	 owner;
	const char	*hint;
	enum wl_kind	 kind;
	const char	*stem;
	bool		 by_labels;
} owned[] = {
	/* DaemonSet and Job, which the names cannot tell apart */
	{ "calico-node-hx7cw", NULL, RT_OWNER_DAEMONSET, "", WL_DAEMONSET,
	  "calico-node", true },
	{ "pi-5rwd7", NULL, RT_OWNER_JOB, "pi", WL_JOB, "pi", true },
	{ "indexed-job-12-b4wdq", NULL, RT_OWNER_JOB, "indexed-job", WL_JOB,
	  "indexed-job", true },
	{ "hello-28112730-x7k2p", NULL, RT_OWNER_JOB, "hello-28112730",
	  WL_CRONJOB, "hello", true },
	/* an all-digit template hash reads as a CronJob by name */
	{ "web-7787495887-x2x7q", NULL, RT_OWNER_DEPLOYMENT, "7787495887",
	  WL_DEPLOYMENT, "web", true },
	{ "coredns-5d78c9869d-2xq7w", NULL, RT_OWNER_DEPLOYMENT,
	  "5d78c9869d", WL_DEPLOYMENT, "coredns", true },
	/* a hint the name does not carry: the name rules stand */
	{ "coredns-5d78c9869d-2xq7w", NULL, RT_OWNER_DEPLOYMENT, "zzzz",
	  WL_DEPLOYMENT, "coredns", true },
	{ "web-7", NULL, RT_OWNER_STATEFULSET, "", WL_STATEFULSET, "web",
	  true },
	/* a static pod on a node whose name memtop does not know */
	{ "kube-controller-manager-ip-10-0-101-216.eu-west-1.compute.internal",
	  NULL, RT_OWNER_STATIC, "", WL_STATIC,
	  "kube-controller-manager-ip-10-0-101-216.eu-west-1.compute.internal",
	  true },
	{ "kube-controller-manager-ip-10-0-101-216.eu-west-1.compute.internal",
	  "ip-10-0-101-216.eu-west-1.compute.internal", RT_OWNER_STATIC, "",
	  WL_STATIC, "kube-controller-manager", true },
	/* labels that contradict the name: the name rules stand */
	{ "worker-2bq4k", NULL, RT_OWNER_JOB, "other", WL_DAEMONSET_JOB,
	  "worker", false },
	{ "web-7", NULL, RT_OWNER_DAEMONSET, "", WL_STATEFULSET, "web",
	  false },
	{ "postgres", NULL, RT_OWNER_NONE, "", WL_NONE, "postgres", false },
};

static void
test_owner(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof owned / sizeof owned[0]; i++) {
		struct wl_name	w;
		char		stem[256];

		workload_parse_owner(owned[i].pod, owned[i].node,
		    owned[i].owner, owned[i].hint, &w);
		snprintf(stem, sizeof stem, "%.*s", (int)w.stem_len,
		    owned[i].pod);
		if (w.kind != owned[i].kind ||
		    strcmp(stem, owned[i].stem) != 0 ||
		    w.by_labels != owned[i].by_labels)
			fail_msg("%s (owner %d %s): %s \"%s\"%s, want %s "
			    "\"%s\"%s", owned[i].pod, owned[i].owner,
			    owned[i].hint, workload_kind_name(w.kind), stem,
			    w.by_labels ? " by labels" : "",
			    workload_kind_name(owned[i].kind), owned[i].stem,
			    owned[i].by_labels ? " by labels" : "");
	}
}

static void
test_ordinals(void **state)
{
	struct wl_name	w;

	(void)state;
	workload_parse("web-61", NULL, &w);
	assert_int_equal(w.ordinal, 61);
	workload_parse("web-0", NULL, &w);
	assert_int_equal(w.ordinal, 0);
	workload_parse("coredns-5d78c9869d-2xq7w", NULL, &w);
	assert_int_equal(w.ordinal, -1);
	assert_true(workload_is_rand("2xq7w", 5));
	assert_false(workload_is_rand("2xq7a", 5));
	assert_false(workload_is_rand("2xq", 5));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_ordinals),
		cmocka_unit_test(test_owner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
