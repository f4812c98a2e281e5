/*
 * memtop gc PID [--json] [--yes]: the g key without the dashboard.
 * Exit 0 when the GC ran, 1 with a one-line reason otherwise, 2 on usage.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "actions/gc.h"
#include "cmd.h"
#include "util/fmt.h"
#include "util/readfile.h"

static const char usage[] =
    "usage: memtop gc PID [--json] [--yes] [--verbose]\n"
    "  force a full V8 garbage collection in Node.js process PID through\n"
    "  its inspector (opened with SIGUSR1 inside its network namespace and\n"
    "  closed again), and show what it gave back. Refused unless PID is\n"
    "  node/nodejs and catches SIGUSR1. A full GC pauses the process: it\n"
    "  asks first unless --yes.\n"
    "  --open-timeout S  wait for the inspector to listen (3)\n"
    "  --call-timeout S  each inspector call (10)\n"
    "  --gc-timeout S    HeapProfiler.collectGarbage (30)\n"
    "  --watch S         keep watching for a late inspector to close (30)\n";

static void
print_text(const struct gc_result *r)
{
	char	a[32], b[32], c[32], d[32], e[32], f[32], g[32], h[32];
	int64_t	ob = gc_outside_v8(&r->v8_before), oa = gc_outside_v8(&r->v8_after);

	if (!r->ok) {
		printf("pid %d: GC failed: %s\n", r->pid, r->error);
		return;
	}
	printf("pid %d: RSS %s -> %s, Pss_Anon %s -> %s (%.1f s)\n", r->pid,
	    fmt_bytes(a, sizeof a, r->rss_before),
	    fmt_bytes(b, sizeof b, r->rss_after),
	    fmt_bytes(c, sizeof c, r->pss_anon_before),
	    fmt_bytes(d, sizeof d, r->pss_anon_after), r->duration_ms / 1000);
	printf("V8 heapTotal %s -> %s, heapUsed %s -> %s, external %s -> %s, "
	    "arrayBuffers %s -> %s\n",
	    fmt_bytes(a, sizeof a, r->v8_before.heap_total),
	    fmt_bytes(b, sizeof b, r->v8_after.heap_total),
	    fmt_bytes(c, sizeof c, r->v8_before.heap_used),
	    fmt_bytes(d, sizeof d, r->v8_after.heap_used),
	    fmt_bytes(e, sizeof e, r->v8_before.external),
	    fmt_bytes(f, sizeof f, r->v8_after.external),
	    fmt_bytes(g, sizeof g, r->v8_before.array_buffers),
	    fmt_bytes(h, sizeof h, r->v8_after.array_buffers));
	printf("outside V8 (RSS - heapTotal - external - arrayBuffers): %s -> %s"
	    "\n", ob < 0 ? "-" : fmt_bytes(a, sizeof a, (uint64_t)ob),
	    oa < 0 ? "-" : fmt_bytes(b, sizeof b, (uint64_t)oa));
	if (oa > 0 && r->rss_after != UINT64_MAX &&
	    (uint64_t)oa * 2 > r->rss_after)
		printf("most of what remains is outside V8 (native allocations, "
		    "glibc arenas): see memtop maps %d\n", r->pid);
	if (r->inspector_was_open)
		printf("inspector: already open on port %d, left open\n",
		    r->port);
	else
		printf("inspector: opened on port %d, %s\n", r->port,
		    r->inspector_closed ? "closed again" : "STILL OPEN");
	if (r->note[0] != '\0')
		printf("note: %s\n", r->note);
}

static bool
confirm(int pid)
{
	char	line[16];

	fprintf(stderr, "GC node PID %d? A full GC pauses it. y/n ", pid);
	if (fgets(line, sizeof line, stdin) == NULL)
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

static int
parse_secs(const char *s, double *out)
{
	char	*end;
	double	 d = strtod(s, &end);

	if (*end != '\0' || end == s || !(d >= 0) || d > 3600)
		return -1;
	*out = d;
	return 0;
}

int
cmd_gc(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "yes", no_argument, NULL, 'y' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "open-timeout", required_argument, NULL, 'o' },
		{ "gc-timeout", required_argument, NULL, 'g' },
		{ "watch", required_argument, NULL, 'w' },
		{ "call-timeout", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct gc_opts		 o;
	struct gc_result	 r;
	bool			 json = false, yes = false, verbose = false;
	char			 why[256], *end, err[256];
	const char		*refuse;
	struct buf		 b;
	long			 pidl;
	int			 c, fd, status;
	pid_t			 child;
	FILE			*in;
	char			*line = NULL;
	size_t			 cap = 0;
	bool			 got = false;

	gc_opts_default(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "hyv", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'y':
			yes = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'o':
		case 'g':
		case 'w':
		case 'c':
			if (parse_secs(optarg, c == 'o' ? &o.open_timeout :
			    c == 'g' ? &o.gc_timeout : c == 'c' ?
			    &o.call_timeout : &o.watch) != 0) {
				fprintf(stderr, "memtop gc: bad seconds: %s\n",
				    optarg);
				return 2;
			}
			break;
		case 'h':
			printf("%s", usage);
			return 0;
		default:
			fprintf(stderr, "%s", usage);
			return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	errno = 0;
	pidl = strtol(argv[optind], &end, 10);
	if (errno != 0 || *end != '\0' || pidl <= 0 || pidl > 4194304) {
		fprintf(stderr, "memtop gc: not a pid: %s\n", argv[optind]);
		return 2;
	}
	memset(&r, 0, sizeof r);
	r.pid = (int)pidl;
	r.rss_before = r.rss_after = r.pss_anon_before = r.pss_anon_after =
	    UINT64_MAX;
	refuse = gc_check(r.pid, o.proc_root, why, sizeof why);
	if (refuse == NULL && !yes && !isatty(STDIN_FILENO))
		refuse = "not confirmed: add --yes when not on a terminal";
	if (refuse == NULL && !yes && !confirm(r.pid))
		refuse = "not confirmed";
	if (refuse != NULL) {
		snprintf(r.error, sizeof r.error, "refused: %s", refuse);
		goto report;
	}
	child = gc_start(r.pid, &o, &fd, err, sizeof err);
	if (child == -1) {
		snprintf(r.error, sizeof r.error, "%s", err);
		goto report;
	}
	in = fdopen(fd, "r");
	buf_init(&b);
	while (in != NULL && getline(&line, &cap, in) > 0) {
		json_error_t	 je;
		json_t		*j = json_loads(line, 0, &je), *v;

		if ((v = json_object_get(j, "progress")) != NULL && verbose)
			fprintf(stderr, "memtop gc: %s\n", json_string_value(v));
		if ((v = json_object_get(j, "result")) != NULL)
			got = gc_result_from_json(v, &r) == 0;
		json_decref(j);
	}
	free(line);
	buf_done(&b);
	if (in != NULL)
		fclose(in);
	waitpid(child, &status, 0);
	if (!got)
		snprintf(r.error, sizeof r.error, "the GC helper died without "
		    "a result");
report:
	if (json) {
		json_t	*j = gc_result_json(&r);

		json_dumpf(j, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(j);
	} else if (r.ok)
		print_text(&r);
	else
		fprintf(stderr, "memtop gc: pid %d: %s\n", r.pid, r.error);
	return r.ok ? 0 : 1;
}
