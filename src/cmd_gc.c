/*
 * memtop gc PID [--json] [--yes]: the g key without the dashboard.
 * Exit 0 when the GC ran, 1 with a one-line reason otherwise, 2 on usage.
 * Ctrl-C, SIGTERM and SIGHUP cancel: what was done is printed, and the GC's
 * child goes on closing an inspector it opened, on its own.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/gc.h"
#include "actions/gc_format.h"
#include "actions/job.h"
#include "analyse/detectors.h"
#include "cmd.h"
#include "collect/maps.h"
#include "collect/status.h"
#include "util/clock.h"

static const char usage[] =
    "usage: memtop gc PID [--json] [--yes] [--verbose]\n"
    "  force a full garbage collection in process PID and show what it\n"
    "  gave back. Node.js: V8's, through its inspector (opened with SIGUSR1\n"
    "  inside its network namespace and closed again); refused unless it\n"
    "  catches SIGUSR1. A HotSpot JVM (libjvm.so mapped): GC.run through its\n"
    "  attach socket, as jcmd (started with a trigger file and SIGQUIT when\n"
    "  missing, only if it catches SIGQUIT). A full GC pauses the process:\n"
    "  it asks first unless --yes. Ctrl-C cancels; an inspector memtop\n"
    "  opened is still closed (in the background, within the watch).\n"
    "  --open-timeout S  wait for the inspector to listen (3), or a JVM's\n"
    "                    attach socket after SIGQUIT (10)\n"
    "  --call-timeout S  each inspector call or jcmd command (10)\n"
    "  --gc-timeout S    HeapProfiler.collectGarbage or GC.run (30)\n"
    "  --watch S         then keep watching to close a late inspector (120)\n";

static volatile sig_atomic_t	got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

/* Whether the glibc-arenas rule fires on the process's mappings now. */
static bool
arena_fired(int pid)
{
	struct maps		m;
	struct proc_status	st;
	struct detect_ctx	c;
	struct finding		f[8];
	size_t			n, i;
	bool			fired = false;

	if (status_read("/proc", pid, &st) != 0)
		return false;
	maps_init(&m);
	if (maps_read(&m, "/proc", pid, false) == 0) {
		c.comm = st.name;
		c.exe = st.exe[0] != '\0' ? st.exe : NULL;
		c.stack_limit = st.stack_limit;
		n = detect_all(&m, &c, f, sizeof f / sizeof f[0]);
		for (i = 0; i < n; i++)
			fired |= strcmp(f[i].rule, "glibc-arenas") == 0;
	}
	maps_done(&m);
	return fired;
}

static void
print_line(void *arg, const char *label, const char *text)
{
	(void)arg;
	if (strcmp(label, "last GC") == 0 || label[0] == '\0')
		printf("%s\n", text);
	else
		printf("%s: %s\n", label, text);
}

static bool
confirm(int pid, enum gc_runtime rt)
{
	struct proc_status	st;
	char			line[16];

	if (rt == GC_RT_HOTSPOT && status_read("/proc", pid, &st) == 0)
		fprintf(stderr, "GC %s PID %d (HotSpot)? A full GC pauses it. "
		    "y/n ", st.name, pid);
	else
		fprintf(stderr, "GC node PID %d? A full GC pauses it. y/n ",
		    pid);
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

/*
 * Runs the job until its child ends, or until a signal: then cancels and
 * waits (at most 5 s) for the child to say what it did. Fills r.
 */
static void
run_job(int pid, const struct gc_opts *o, bool verbose, struct gc_result *r)
{
	struct job_runner	 jr;
	struct job		*j;
	struct pollfd		 p;
	char			 err[256];
	double			 cancel_by = 0;
	int			 ev;
	bool			 cancelled = false;

	job_runner_init(&jr);
	j = job_start_gc(&jr, pid, 0, o, err, sizeof err);
	if (j == NULL) {
		snprintf(r->error, sizeof r->error, "%s", err);
		job_runner_done(&jr);
		return;
	}
	while (jr.njobs > 0) {
		if (got_signal && !cancelled) {
			cancelled = true;
			job_cancel(j);
			cancel_by = clock_mono() + 5;
			fprintf(stderr, "memtop gc: %s: cancelling\n",
			    strsignal(got_signal));
		}
		if (cancelled && (clock_mono() > cancel_by ||
		    (j->have_result && j->result.watching)))
			break;	/* it closes the inspector on its own */
		job_runner_pollfds(&jr, &p, 1);
		if (poll(&p, 1, 200) <= 0)
			continue;
		ev = job_runner_input(&jr, p.fd);
		if ((ev & JOB_PROGRESS) && verbose && jr.last != NULL)
			fprintf(stderr, "memtop gc: %s\n", jr.last->progress);
		if ((ev & JOB_RESULT) && jr.last != NULL) {
			*r = jr.last->result;
			if (r->watching && !cancelled)
				fprintf(stderr, "memtop gc: pid %d: %s; watching "
				    "up to %.0f s after SIGUSR1 to close the "
				    "inspector when it opens (Ctrl-C leaves "
				    "that to memtop's watcher)\n", pid,
				    r->error, o->open_timeout + o->watch);
		}
		if (ev & JOB_ENDED) {
			if (job_result(&jr, jr.last_pid, jr.last_start) != NULL)
				*r = *job_result(&jr, jr.last_pid,
				    jr.last_start);
			else
				snprintf(r->error, sizeof r->error, "%s",
				    jr.ended_why);
		}
	}
	if (jr.njobs > 0 && j->have_result)
		*r = j->result;
	if (cancelled && jr.njobs > 0 && !j->have_result)
		snprintf(r->error, sizeof r->error, "cancelled; the GC helper "
		    "(pid %d) has not answered yet and goes on alone",
		    (int)j->child);
	if (cancelled && r->watching)
		fprintf(stderr, "memtop gc: cancelled; SIGUSR1 was sent: "
		    "memtop's watcher (pid %d) keeps watching netns %s up to "
		    "%.0f s to close the inspector when it opens\n",
		    (int)j->child, r->netns, o->open_timeout + o->watch);
	job_runner_done(&jr);
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
	struct sigaction	 sa;
	bool			 json = false, yes = false, verbose = false;
	bool			 arena = false;
	char			 why[256], *end, verdict[512], line[1024];
	const char		*refuse;
	long			 pidl;
	int			 c;

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
			if (c == 'o')
				o.attach_timeout = o.open_timeout;
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
	gc_result_init(&r, (int)pidl, 0);
	refuse = gc_check_runtime(r.pid, o.proc_root, &r.runtime, why,
	    sizeof why);
	if (refuse == NULL && !yes && !isatty(STDIN_FILENO))
		refuse = "not confirmed: add --yes when not on a terminal";
	if (refuse == NULL && !yes && !confirm(r.pid, r.runtime))
		refuse = "not confirmed";
	if (refuse != NULL) {
		snprintf(r.error, sizeof r.error, "refused: %s", refuse);
		goto report;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	run_job(r.pid, &o, verbose, &r);
	if (r.ok)
		arena = arena_fired(r.pid);
report:
	if (json) {
		json_t	*j = gc_result_json(&r);

		gc_format_verdict(&r, arena, verdict, sizeof verdict);
		json_object_set_new(j, "verdict", verdict[0] ?
		    json_string(verdict) : json_null());
		json_dumpf(j, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(j);
	} else if (r.ok)
		gc_format_lines(&r, arena, print_line, NULL);
	else {
		gc_format_summary(&r, false, line, sizeof line);
		fprintf(stderr, "memtop gc: %s\n", line);
	}
	/* an inspector that may stay open is said on stderr, whatever else */
	if ((json || r.ok) && r.signalled && !r.inspector_closed &&
	    r.closer[0] != '\0')
		fprintf(stderr, "memtop gc: %s\n", r.closer);
	fflush(stdout);
	return r.ok ? 0 : 1;
}
