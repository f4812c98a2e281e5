/* The inspector's libraries, opened on first use: inspector_lib.h. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>

#include <nettle/base64.h>
#include <nettle/sha1.h>
#include <wslay/wslay.h>

#include "actions/inspector.h"
#include "util/lazylib.h"

/* the real names here, before inspector_lib.h turns them into pointers */
#define INS_SYM(f)	{ #f, (void **)&inspector_lib.p_##f },
#include "inspector_lib.h"

struct inspector_lib	inspector_lib;

static const struct lazylib_sym nettle_syms[] = { INS_NETTLE(INS_SYM) };
static const struct lazylib_sym wslay_syms[] = { INS_WSLAY(INS_SYM) };

int
inspector_lib_load(char *why, size_t len)
{
	static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
	static int		 done, rc;
	static char		 said[512];
	char			 cause[400];

	pthread_mutex_lock(&lock);
	if (!done) {
		done = 1;
		rc = lazylib_open(WSLAY_SONAME, wslay_syms, sizeof wslay_syms /
		    sizeof wslay_syms[0], cause, sizeof cause);
		if (rc == 0)
			rc = lazylib_open(NETTLE_SONAME, nettle_syms,
			    sizeof nettle_syms / sizeof nettle_syms[0], cause,
			    sizeof cause);
		if (rc != 0)
			snprintf(said, sizeof said, "a GC of a Node process "
			    "needs libwslay and libnettle (Debian: libwslay1, "
			    "libnettle8): %s", cause);
	}
	pthread_mutex_unlock(&lock);
	if (rc != 0)
		snprintf(why, len, "%s", said);
	return rc;
}
