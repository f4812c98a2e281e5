/*
 * Test helper: a slow-header ("slowloris") load on a loopback HTTP server.
 * Opens N connections to 127.0.0.1:PORT, from NSRC source addresses
 * 127.0.SRC.1, 127.0.SRC.2, ... (round-robin), and sends each one byte of a
 * never-ending request header every INTERVAL seconds. A connection the
 * server closes is opened again after a second. Stops by itself after
 * SECONDS; prints one line a second, "t=S open=N closed=N connects=N", and a
 * last line "max_open=N closed=N connects=N".
 *
 * usage: slowclients PORT N SECONDS INTERVAL SRC NSRC
 * Loopback only: the destination is always 127.0.0.1, N <= 5000, SECONDS
 * <= 120.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXCONN	5000

struct slot {
	int	fd;		/* -1: closed */
	double	next;		/* when to send (open) or reopen (closed) */
	size_t	sent;		/* header bytes sent so far */
};

static const char header[] = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "X-Slow: ";

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
open_one(unsigned port, unsigned src, unsigned host)
{
	struct sockaddr_in	sa, me;
	int			fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	memset(&me, 0, sizeof me);
	me.sin_family = AF_INET;
	me.sin_addr.s_addr = htonl(0x7f000000u | (src << 8) | host);
	if (bind(fd, (struct sockaddr *)&me, sizeof me) == -1) {
		close(fd);
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == -1 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char **argv)
{
	static struct slot	 s[MAXCONN];
	static struct pollfd	 pfd[MAXCONN];
	static unsigned		 pidx[MAXCONN];
	struct rlimit		 rl;
	unsigned		 port, n, nsrc, src, i, open_now, max_open = 0;
	unsigned long		 closed = 0, connects = 0;
	double			 secs, interval, t0, t, last_report;
	char			 c;

	if (argc != 7)
		return 2;
	port = (unsigned)strtoul(argv[1], NULL, 10);
	n = (unsigned)strtoul(argv[2], NULL, 10);
	secs = strtod(argv[3], NULL);
	interval = strtod(argv[4], NULL);
	src = (unsigned)strtoul(argv[5], NULL, 10);
	nsrc = (unsigned)strtoul(argv[6], NULL, 10);
	if (port == 0 || port > 65535 || n == 0 || n > MAXCONN || !(secs > 0) ||
	    secs > 120 || !(interval > 0) || src > 255 || nsrc == 0 ||
	    nsrc > 250)
		return 2;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < n + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		s[i].fd = -1;
		s[i].next = t0;
	}
	last_report = t0;
	while ((t = now()) - t0 < secs) {
		unsigned	np = 0;

		open_now = 0;
		for (i = 0; i < n; i++) {
			if (s[i].fd == -1 && t >= s[i].next) {
				s[i].fd = open_one(port, src, 1 + i % nsrc);
				s[i].sent = 0;
				s[i].next = t;
				if (s[i].fd == -1)
					s[i].next = t + 1;
				else
					connects++;
			}
			if (s[i].fd == -1)
				continue;
			if (t >= s[i].next) {
				c = s[i].sent < sizeof header - 1 ?
				    header[s[i].sent] : 'a';
				if (send(s[i].fd, &c, 1, MSG_NOSIGNAL) == 1)
					s[i].sent++;
				s[i].next = t + interval;
			}
			open_now++;
			pfd[np].fd = s[i].fd;
			pfd[np].events = POLLIN;
			pidx[np++] = i;
		}
		if (open_now > max_open)
			max_open = open_now;
		if (poll(pfd, np, 100) > 0) {
			for (i = 0; i < np; i++) {
				struct slot	*sl = &s[pidx[i]];
				char		 b[512];

				if (pfd[i].revents == 0)
					continue;
				/* any answer (408, 503) or EOF ends it */
				while (recv(sl->fd, b, sizeof b, MSG_DONTWAIT) > 0)
					;
				close(sl->fd);
				sl->fd = -1;
				sl->next = now() + 1;
				closed++;
			}
		}
		if (t - last_report >= 1) {
			printf("t=%.0f open=%u closed=%lu connects=%lu\n", t - t0,
			    open_now, closed, connects);
			fflush(stdout);
			last_report = t;
		}
	}
	printf("max_open=%u closed=%lu connects=%lu\n", max_open, closed,
	    connects);
	return 0;
}
