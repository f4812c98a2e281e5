#ifndef MEMTOP_PROM_OPTS_H
#define MEMTOP_PROM_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/promhist.h"

/* --prometheus and its options (src/prom_opts.c), for main. */
struct prom_opts_cli {
	const char	*url;		/* --prometheus, MEMTOP_PROMETHEUS */
	const char	*node;		/* --prometheus-node NAME|LABEL=VALUE */
	const char	*token;		/* --prometheus-token-file */
	const char	*ca;		/* --prometheus-ca-file */
	double		 interval;	/* --prometheus-interval, seconds */
	double		 timeout;	/* --prometheus-timeout, seconds */
};

/* After parsing: MEMTOP_PROMETHEUS, and options that need a URL. 0 or -1. */
int		 prom_opts_check(struct prom_opts_cli *);
/*
 * The queries' thread for the dashboard or -b (batch: the first refresh
 * waits for the first round); NULL if no URL. Exits 1 on a configuration
 * Prometheus cannot be asked with (a bad URL, an unreadable token file).
 */
struct promhist	*prom_opts_start(const struct prom_opts_cli *, double window,
		    bool batch);
/* -b: Prometheus's status on stderr when it changes. */
void		 prom_opts_say(struct promhist *);
/* ui_config.status */
void		 prom_opts_status(void *promhist, char *buf, size_t len);

#endif
