#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <libproc2/meminfo.h>

#include "collect/figure.h"
#include "collect/nodemem.h"
#include "util/lazylib.h"
#include "util/log.h"
#include "util/xmalloc.h"

static struct {
	__typeof__(procps_meminfo_new)		*new;
	__typeof__(procps_meminfo_get)		*get;
	__typeof__(procps_meminfo_unref)	*unref;
} lp;
static const struct lazylib_sym lp_syms[] = {
	{ "procps_meminfo_new", (void **)&lp.new },
	{ "procps_meminfo_get", (void **)&lp.get },
	{ "procps_meminfo_unref", (void **)&lp.unref },
};

struct nodemem {
	struct meminfo_info	*mi;	/* libproc2's; NULL: unreadable */
	char			 why[320];	/* "" while readable */
};

struct nodemem *
nodemem_open(void)
{
	return nodemem_open_lib(PROC2_SONAME);
}

struct nodemem *
nodemem_open_lib(const char *soname)
{
	struct nodemem	*nm = xcalloc(1, sizeof *nm);
	char		 why[256];
	int		 rc;

	if (lazylib_open(soname, lp_syms, sizeof lp_syms /
	    sizeof lp_syms[0], why, sizeof why) != 0) {
		snprintf(nm->why, sizeof nm->why, "the node's memory is "
		    "unknown: %s", why);
		log_warn("%s", nm->why);
		return nm;
	}
	if ((rc = lp.new(&nm->mi)) < 0) {
		snprintf(nm->why, sizeof nm->why, "the node's memory is "
		    "unknown: libproc2 cannot read /proc/meminfo (%d)", rc);
		log_warn("%s", nm->why);
		nm->mi = NULL;
	}
	return nm;
}

const char *
nodemem_why(const struct nodemem *nm)
{
	return nm->why[0] != '\0' ? nm->why : NULL;
}

void
nodemem_free(struct nodemem *nm)
{
	if (nm == NULL)
		return;
	if (nm->mi != NULL)
		lp.unref(&nm->mi);
	free(nm);
}

/*
 * A field libproc2 could not give is unknown, not 0 (its MEMINFO_GET would
 * say 0).
 */
static uint64_t
kib(struct meminfo_info *mi, enum meminfo_item item)
{
	struct meminfo_result	*r;

	if (mi == NULL || (r = lp.get(mi, item)) == NULL)
		return FIG_NA;
	return (uint64_t)r->result.ul_int * 1024;
}

void
nodemem_read(struct nodemem *nm, uint64_t *total, uint64_t *available)
{
	*total = kib(nm->mi, MEMINFO_MEM_TOTAL);
	*available = kib(nm->mi, MEMINFO_MEM_AVAILABLE);
}
