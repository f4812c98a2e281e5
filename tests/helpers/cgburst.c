/*
 * Test helper: a burst of pods. Creates N kubelet-shaped cgroups
 * DIR/podUUID/CID (cgroup v1 or v2 memory tree) with one sleeping process
 * each, prints "ready N" when all are in, then waits for its stdin to close
 * (or SECONDS at most), kills them, waits for them, removes the cgroups and
 * prints "gone". The children die with it (PR_SET_PDEATHSIG).
 *
 * usage: cgburst DIR N SECONDS
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXN	5000

static char	pod[MAXN][256], ctr[MAXN][256];
static pid_t	kid[MAXN];

static void
hex(char *buf, size_t n, unsigned seed)
{
	static const char	digits[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = digits[(seed >> 16) & 15];
	}
	buf[n] = '\0';
}

int
main(int argc, char **argv)
{
	char		 u[40], c[65], path[300], line[32];
	struct pollfd	 pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	long		 n, i, secs;
	int		 fd, l, st = 0;

	if (argc != 4)
		return 2;
	n = strtol(argv[2], NULL, 10);
	secs = strtol(argv[3], NULL, 10);
	if (n < 1 || n > MAXN || secs < 1 || secs > 600)
		return 2;
	for (i = 0; i < n; i++) {
		hex(u, 32, (unsigned)(getpid() * 7919 + i));
		snprintf(pod[i], sizeof pod[i], "%s/pod%.8s-%.4s-%.4s-%.4s-%.12s",
		    argv[1], u, u + 8, u + 12, u + 16, u + 20);
		hex(c, 64, (unsigned)(getpid() * 104729 + i));
		snprintf(ctr[i], sizeof ctr[i], "%s/%s", pod[i], c);
		if (mkdir(pod[i], 0755) == -1 || mkdir(ctr[i], 0755) == -1) {
			fprintf(stderr, "cgburst: mkdir %s: %s\n", ctr[i],
			    strerror(errno));
			n = i;
			st = 1;
			goto out;
		}
		kid[i] = fork();
		if (kid[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			snprintf(path, sizeof path, "%s/cgroup.procs", ctr[i]);
			fd = open(path, O_WRONLY);
			l = snprintf(line, sizeof line, "%d", (int)getpid());
			if (fd == -1 || write(fd, line, (size_t)l) != l)
				_exit(1);
			close(fd);
			execlp("sleep", "sleep", argv[3], (char *)NULL);
			_exit(1);
		}
	}
	printf("ready %ld\n", n);
	fflush(stdout);
	/* until stdin closes, or the time is up */
	while (poll(&pfd, 1, (int)secs * 1000) == -1 && errno == EINTR)
		;
out:
	for (i = 0; i < n; i++)
		if (kid[i] > 0)
			kill(kid[i], SIGKILL);
	for (i = 0; i < n; i++)
		if (kid[i] > 0)
			waitpid(kid[i], NULL, 0);
	for (i = 0; i < n; i++) {
		int	tries = 0;

		/* a cgroup is removable once its last task is reaped */
		while (rmdir(ctr[i]) == -1 && errno == EBUSY && tries++ < 5000)
			usleep(1000);
		rmdir(pod[i]);
	}
	printf("gone\n");
	fflush(stdout);
	return st;
}
