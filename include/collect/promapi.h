#ifndef MEMTOP_COLLECT_PROMAPI_H
#define MEMTOP_COLLECT_PROMAPI_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A client of the Prometheus HTTP API (/api/v1/query, /api/v1/query_range)
 * over libcurl: a data source like /proc, read off the UI thread
 * (collect/promapi_bg.h). Every failure is a value with a message:
 * "timeout after 5 s (http://...)", "HTTP 500: ...", "answer over 16 MiB
 * refused", "invalid JSON at line 1: ...".
 */

#define PROMAPI_MAX_BODY	(16u << 20)	/* a bigger answer is refused */
#define PROMAPI_MAX_LABELS	32		/* per series; more: refused */

struct promapi_conf {
	const char	*url;		/* http(s)://host:port[/prefix] */
	const char	*token_file;	/* Authorization: Bearer; NULL none */
	const char	*ca_file;	/* https: trust this CA; NULL: system */
	double		 connect_timeout;	/* seconds; 0: 3 */
	double		 timeout;		/* whole request; 0: 5 */
	size_t		 max_body;		/* 0: PROMAPI_MAX_BODY */
};

/* One series of a matrix (n samples) or vector (n = 1) answer. */
struct promapi_series {
	char		*names[PROMAPI_MAX_LABELS];
	char		*values[PROMAPI_MAX_LABELS];
	size_t		 nlabels;
	double		*t;		/* epoch seconds, ascending */
	double		*v;		/* NaN where the value is no number */
	size_t		 n;
};

struct promapi_result {
	struct promapi_series	*s;
	size_t			 n;
	bool			 matrix;	/* else a vector */
};

struct promapi;

/*
 * Checks the configuration (a URL with a user or password in it is
 * refused with advice; the token file must be readable) and makes a client
 * with its own curl handle: one thread uses it. NULL with why.
 */
struct promapi	*promapi_create(const struct promapi_conf *, char *why,
		    size_t len);
void		 promapi_free(struct promapi *);
/* A request in flight stops when *flag becomes nonzero (another thread). */
void		 promapi_set_abort(struct promapi *, const volatile int *flag);
/* The URL it queries (for messages). */
const char	*promapi_url(const struct promapi *);

/*
 * An instant query at epoch time at (0: now), or a range query; the answer
 * into *r (promapi_result_done it). 0, or -1 with why (*r empty).
 */
int	promapi_query(struct promapi *, const char *query, double at,
	    struct promapi_result *r, char *why, size_t len);
int	promapi_query_range(struct promapi *, const char *query, double start,
	    double end, double step, struct promapi_result *r, char *why,
	    size_t len);

/*
 * Parses an API answer (pure: the unit tests and the fuzzer call it):
 * status "success" with a matrix or vector result. An "error" status gives
 * its errorType and error; anything else is refused with where it went
 * wrong. 0, or -1 with why.
 */
int	promapi_parse(const char *body, size_t blen, struct promapi_result *r,
	    char *why, size_t len);
void	promapi_result_done(struct promapi_result *);

/* A label's value, or NULL. */
const char	*promapi_label(const struct promapi_series *, const char *name);

/* s with PromQL's string escapes (backslash, quote, newline) into buf. */
const char	*promapi_quote(const char *s, char *buf, size_t len);

#endif
