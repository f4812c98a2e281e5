#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "actions/gc_target.h"
#include "util/readfile.h"

/* "[host:]port", "[v6]:port" or "host" (Node's ParseHostPort). */
static void
host_port(const char *v, size_t len, struct gc_inspect_spec *s)
{
	char		 t[128], *colon, *end;
	const char	*host = NULL;
	long		 port = -1;

	snprintf(t, sizeof t, "%.*s", (int)(len < sizeof t - 1 ? len :
	    sizeof t - 1), v);
	if (t[0] == '[' && (end = strchr(t, ']')) != NULL) {
		*end = '\0';
		host = t + 1;
		if (end[1] == ':')
			port = strtol(end + 2, NULL, 10);
	} else if ((colon = strrchr(t, ':')) != NULL) {
		*colon = '\0';
		host = t;
		port = strtol(colon + 1, NULL, 10);
	} else if (t[0] != '\0' && strspn(t, "0123456789") == strlen(t))
		port = strtol(t, NULL, 10);
	else if (t[0] != '\0')
		host = t;
	if (host != NULL && host[0] != '\0')
		snprintf(s->host, sizeof s->host, "%.63s", host);
	if (port >= 0 && port <= 65535)
		s->port = (int)port;
}

/* One option; *takes_next when its value is the next argument. */
static void
option(const char *a, size_t len, struct gc_inspect_spec *s, bool *takes_next,
    bool *value_of_port)
{
	static const char *const flags[] = { "--inspect", "--inspect-brk",
	    "--inspect-wait" };
	static const char *const ports[] = { "--inspect-port", "--debug-port" };
	size_t	i, l;

	*takes_next = *value_of_port = false;
	for (i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		l = strlen(flags[i]);
		if (len >= l && strncmp(a, flags[i], l) == 0 &&
		    (len == l || a[l] == '=')) {
			if (len > l)
				host_port(a + l + 1, len - l - 1, s);
			return;
		}
	}
	for (i = 0; i < sizeof ports / sizeof ports[0]; i++) {
		l = strlen(ports[i]);
		if (len >= l && strncmp(a, ports[i], l) == 0) {
			if (len > l && a[l] == '=')
				host_port(a + l + 1, len - l - 1, s);
			else if (len == l)
				*takes_next = *value_of_port = true;
			return;
		}
	}
	if ((len == 2 && (strncmp(a, "-r", 2) == 0 || strncmp(a, "-C", 2) ==
	    0)) || (len == 9 && strncmp(a, "--require", 9) == 0) ||
	    (len == 8 && strncmp(a, "--import", 8) == 0) ||
	    (len == 8 && strncmp(a, "--loader", 8) == 0) ||
	    (len == 7 && strncmp(a, "--title", 7) == 0))
		*takes_next = true;
}

void
gc_target_spec(const char *cmdline, size_t len, const char *node_opts,
    struct gc_inspect_spec *s)
{
	const char	*p, *end, *q;
	bool		 next = false, port_next = false, first = true;

	s->port = 9229;
	snprintf(s->host, sizeof s->host, "127.0.0.1");
	/* NODE_OPTIONS first: the command line wins */
	for (p = node_opts; p != NULL && *p != '\0'; p = q) {
		while (*p == ' ')
			p++;
		q = p + strcspn(p, " ");
		if (q == p)
			break;
		if (port_next)
			host_port(p, (size_t)(q - p), s);
		if (next) {
			next = port_next = false;
			continue;
		}
		option(p, (size_t)(q - p), s, &next, &port_next);
	}
	next = port_next = false;
	end = cmdline + len;
	for (p = cmdline; p < end; p = q + 1) {
		q = memchr(p, '\0', (size_t)(end - p));
		if (q == NULL)
			q = end;
		if (first) {		/* argv[0] */
			first = false;
			continue;
		}
		if (next) {
			if (port_next)
				host_port(p, (size_t)(q - p), s);
			next = port_next = false;
			continue;
		}
		/* Node's options end at the script, -e/-p code or "--" */
		if (p[0] != '-' || strcmp(p, "--") == 0 || strcmp(p, "-e") ==
		    0 || strcmp(p, "-p") == 0 || strcmp(p, "--eval") == 0 ||
		    strcmp(p, "--print") == 0)
			break;
		option(p, (size_t)(q - p), s, &next, &port_next);
	}
}

void
gc_target_spec_read(const char *proc_root, int pid, struct gc_inspect_spec *s)
{
	char		 path[4200], *opts = NULL;
	struct buf	 cmd, env;
	const char	*p, *end;

	buf_init(&cmd);
	buf_init(&env);
	snprintf(path, sizeof path, "%s/%d/environ", proc_root, pid);
	/* the environment holds secrets: wiped before it is freed */
	if (read_proc_record(path, &env, 1 << 20, true) == 0) {
		end = env.data + env.len;
		for (p = env.data; p < end; p += strlen(p) + 1) {
			if (strncmp(p, "NODE_OPTIONS=", 13) == 0)
				opts = (char *)p + 13;
		}
	}
	snprintf(path, sizeof path, "%s/%d/cmdline", proc_root, pid);
	if (read_file(path, &cmd, 1 << 20) != 0)
		buf_reset(&cmd);
	gc_target_spec(cmd.data != NULL ? cmd.data : "", cmd.len, opts, s);
	buf_done(&cmd);
	if (env.data != NULL)
		explicit_bzero(env.data, env.cap);
	buf_done(&env);
}

bool
gc_target_needs_lo(const struct gc_inspect_spec *s)
{
	return strncmp(s->host, "127.", 4) == 0 || strcmp(s->host,
	    "localhost") == 0 || strcmp(s->host, "::1") == 0 ||
	    strcmp(s->host, "0.0.0.0") == 0 || strcmp(s->host, "::") == 0;
}

int
gc_target_lock(int pid, unsigned long long start)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	int			fd, n;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -2;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	/* abstract: sun_path[0] is NUL, nothing on disk to clean up */
	n = snprintf(sun.sun_path + 1, sizeof sun.sun_path - 1,
	    "memtop-gc:%d:%llu", pid, start);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    (size_t)n);
	if (bind(fd, (struct sockaddr *)&sun, len) == -1) {
		n = errno;
		close(fd);
		return n == EADDRINUSE ? -1 : -2;
	}
	return fd;
}

unsigned long long
gc_target_start(const char *proc_root, int pid)
{
	char			 path[4200];
	struct buf		 b;
	const char		*p;
	unsigned long long	 v = 0;
	int			 field;

	buf_init(&b);
	snprintf(path, sizeof path, "%s/%d/stat", proc_root, pid);
	if (read_file(path, &b, 4096) == 0 && (p = strrchr(b.data, ')')) !=
	    NULL) {
		/* after "pid (comm)": state is field 3, starttime 22 */
		for (field = 2; field < 22 && p != NULL; field++)
			p = strchr(p + 1, ' ');
		if (p != NULL)
			v = strtoull(p + 1, NULL, 10);
	}
	buf_done(&b);
	return v;
}

int
gc_target_pidfd(int pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

bool
gc_target_exited(int pidfd)
{
	struct pollfd	p = { pidfd, POLLIN, 0 };

	return pidfd != -1 && poll(&p, 1, 0) == 1;
}

bool
gc_target_gone(const char *proc_root, int pid, int pidfd)
{
	char	path[4200];

	if (pidfd != -1)
		return gc_target_exited(pidfd);
	snprintf(path, sizeof path, "%s/%d", proc_root, pid);
	return access(path, F_OK) != 0;
}

int
gc_target_signal(int pidfd, int pid, int sig)
{
#ifdef SYS_pidfd_send_signal
	if (pidfd != -1)
		return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL,
		    0) == 0 ? 0 : -errno;
#endif
	return kill(pid, sig) == 0 ? 0 : -errno;
}

void
gc_target_netns(const char *proc_root, int pid, char *buf, size_t len)
{
	char	path[4200], link[64];
	ssize_t	n;

	snprintf(path, sizeof path, "%s/%d/ns/net", proc_root, pid);
	n = readlink(path, link, sizeof link - 1);
	if (n <= 0) {
		snprintf(buf, len, "?");
		return;
	}
	link[n] = '\0';
	snprintf(buf, len, "%s", link);
}

int
gc_target_lo_up(void)
{
	struct ifreq	ifr;
	int		fd, up;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	up = ioctl(fd, SIOCGIFFLAGS, &ifr) == -1 ? -1 :
	    (ifr.ifr_flags & IFF_UP) != 0;
	close(fd);
	return up;
}
