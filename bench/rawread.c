/*
 * The baseline: a minimal raw reader of exactly the files memtop reads in
 * one refresh, with open/read/close and nothing else.
 *
 *   rawread full PASSES          every process: stat, status, cmdline, cgroup,
 *                                smaps_rollup, maps; every cgroup's memory files
 *   rawread tick PASSES FRAC     stat + status of every process, smaps_rollup +
 *                                maps of FRAC of them, the cgroup files
 *   rawread maps PID PASSES      /proc/PID/maps
 *
 * Prints the CPU time (user + system) per pass in ms.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static char	buf[1 << 20];
static long	nbytes;

static void
slurp(const char *path)
{
	int	fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t	n;

	if (fd == -1)
		return;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		nbytes += n;
	close(fd);
}

static double
cpu_ms(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

/* The memory cgroup of a pid (v1 memory line, else 0::), into out. */
static void
memcg(int pid, char *out, size_t len)
{
	char	path[64], line[4096];
	FILE	*f;

	out[0] = '\0';
	snprintf(path, sizeof path, "/proc/%d/cgroup", pid);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		char	*p = strstr(line, ":memory:");

		if (p != NULL) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(out, len, "%s", p + 8);
		}
	}
	fclose(f);
}

static int	ncg_first = 1;

static void
add_cg(char (*cgs)[512], int *n, const char *p)
{
	int	i;

	if (p[0] == '\0' || *n >= 4096)
		return;
	for (i = 0; i < *n; i++) {
		if (strcmp(cgs[i], p) == 0)
			return;
	}
	snprintf(cgs[(*n)++], 512, "%s", p);
}

static void
pass(int full, double frac, int npass_i)
{
	static const char *const cg_files[] = { "memory.usage_in_bytes",
	    "memory.limit_in_bytes", "memory.failcnt", "memory.oom_control",
	    "memory.stat" };
	DIR		*d = opendir("/proc");
	struct dirent	*de;
	char		 path[4200];
	static char	 cgs[4096][512];
	int		 i, k = 0, step = frac > 0 ? (int)(1 / frac) : 0;
	static int	 ncg;

	while ((de = readdir(d)) != NULL) {
		int	pid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = atoi(de->d_name);
		snprintf(path, sizeof path, "/proc/%d/stat", pid);
		slurp(path);
		snprintf(path, sizeof path, "/proc/%d/status", pid);
		slurp(path);
		k++;
		if (full || (step > 0 && (k + npass_i) % step == 0)) {
			snprintf(path, sizeof path, "/proc/%d/smaps_rollup",
			    pid);
			slurp(path);
			snprintf(path, sizeof path, "/proc/%d/maps", pid);
			slurp(path);
		}
		if (full) {
			snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
			slurp(path);
		}
		/* memtop reads /proc/PID/cgroup once per process: so do we */
		if (full || ncg_first) {
			char	tmp[512], *slash;

			memcg(pid, tmp, sizeof tmp);
			add_cg(cgs, &ncg, tmp);
			/* and the pod's cgroup above a container's */
			slash = strrchr(tmp, '/');
			if (slash != NULL && slash != tmp && strstr(tmp, "/pod")) {
				*slash = '\0';
				add_cg(cgs, &ncg, tmp);
			}
		}
	}
	ncg_first = 0;
	closedir(d);
	for (i = 0; i < ncg; i++) {
		size_t	f;

		for (f = 0; f < sizeof cg_files / sizeof cg_files[0]; f++) {
			if (snprintf(path, sizeof path, "/sys/fs/cgroup/memory%s/%s",
			    cgs[i], cg_files[f]) >= (int)sizeof path)
				continue;	/* memtop could not read it either */
			slurp(path);
		}
	}
}

int
main(int argc, char **argv)
{
	double	t0, t1;
	int	n, i;

	if (argc < 3) {
		fprintf(stderr, "usage: rawread full|tick|maps ...\n");
		return 2;
	}
	if (strcmp(argv[1], "maps") == 0) {
		char	path[64];

		n = argc > 3 ? atoi(argv[3]) : 1;
		snprintf(path, sizeof path, "/proc/%s/maps", argv[2]);
		t0 = cpu_ms();
		for (i = 0; i < n; i++)
			slurp(path);
		t1 = cpu_ms();
	} else {
		int	full = strcmp(argv[1], "full") == 0;
		double	frac = argc > 3 ? atof(argv[3]) : 0;

		n = atoi(argv[2]);
		t0 = cpu_ms();
		for (i = 0; i < n; i++)
			pass(full, frac, i);
		t1 = cpu_ms();
	}
	printf("%.3f\n", (t1 - t0) / n);
	return nbytes > 0 ? 0 : 1;
}
