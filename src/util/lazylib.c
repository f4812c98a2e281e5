#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "util/lazylib.h"

static pthread_mutex_t	lazylib_lock = PTHREAD_MUTEX_INITIALIZER;

int
lazylib_open(const char *soname, const struct lazylib_sym *syms, size_t n,
    char *cause, size_t len)
{
	void		*h;
	const char	*err;
	size_t		 i;
	int		 rc = 0;

	pthread_mutex_lock(&lazylib_lock);
	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);	/* never closed */
	if (h == NULL) {
		err = dlerror();
		snprintf(cause, len, "%s", err != NULL ? err : soname);
		rc = -1;
		goto out;
	}
	for (i = 0; i < n; i++) {
		void	*a;

		(void)dlerror();
		a = dlsym(h, syms[i].name);
		if (a == NULL) {
			snprintf(cause, len, "%s: no %s", soname,
			    syms[i].name);
			rc = -1;
			goto out;
		}
		*syms[i].addr = a;
	}
out:
	pthread_mutex_unlock(&lazylib_lock);
	return rc;
}
