#ifndef MEMTOP_UTIL_LAZYLIB_H
#define MEMTOP_UTIL_LAZYLIB_H

#include <stddef.h>

/*
 * Libraries that one feature needs (libmicrohttpd for --serve, libcurl for
 * --prometheus) are opened when that feature starts, not at every program
 * start: their dependency chains (GnuTLS; OpenSSL, Kerberos, LDAP, SSH...)
 * cost ~25 ms of dynamic linking and ~8 MiB of resident pages in every run
 * otherwise (docs/bench-history.md).
 */

/* A function to resolve: its name and where its address goes. */
struct lazylib_sym {
	const char	*name;
	void		**addr;
};

/*
 * Opens soname (a later call finds it open; it is never closed) and fills
 * every symbol's address. 0, or -1 with why in cause ("libcurl.so.4: cannot
 * open shared object file", a missing symbol).
 */
int	lazylib_open(const char *soname, const struct lazylib_sym *syms,
	    size_t n, char *cause, size_t len);

#endif
