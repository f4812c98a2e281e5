/* --prometheus for the dashboard and -b (include/prom_opts.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "prom_opts.h"

int
prom_opts_check(struct prom_opts_cli *o)
{
	const char	*env = getenv("MEMTOP_PROMETHEUS");

	if (o->url == NULL && env != NULL && *env != '\0')
		o->url = env;
	if (o->url == NULL && (o->node != NULL || o->token != NULL ||
	    o->ca != NULL)) {
		fprintf(stderr, "memtop: --prometheus-node, "
		    "--prometheus-token-file and --prometheus-ca-file go with "
		    "--prometheus URL (or MEMTOP_PROMETHEUS)\n");
		return -1;
	}
	return 0;
}

struct promhist *
prom_opts_start(const struct prom_opts_cli *o, double window, bool batch)
{
	struct promhist_conf	 c = {
		.api = { o->url, o->token, o->ca, 0, o->timeout, 0 },
		.node_sel = o->node,
		.interval = o->interval,
		.window = window,
		.wait_first = batch,
	};
	struct promhist		*ph;
	char			 why[640];

	if (o->url == NULL)
		return NULL;
	if ((ph = promhist_create(&c, why, sizeof why)) == NULL) {
		fprintf(stderr, "memtop: %s\n", why);
		exit(1);
	}
	return ph;
}

void
prom_opts_say(struct promhist *ph)
{
	char	b[640];

	if (ph != NULL && promhist_status_changed(ph))
		fprintf(stderr, "memtop: %s\n", promhist_status(ph, b,
		    sizeof b));
}

void
prom_opts_status(void *ph, char *buf, size_t len)
{
	promhist_status(ph, buf, len);
}
