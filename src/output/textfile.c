#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output/textfile.h"

int
textfile_write(const char *dir, const char *buf, size_t len, char *cause,
    size_t causelen)
{
	char	tmp[4096], dst[4096];
	size_t	off = 0;
	ssize_t	n;
	int	fd, err;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s/.memtop.prom.%ld.tmp", dir,
	    (long)getpid()) >= sizeof tmp || (size_t)snprintf(dst, sizeof dst,
	    "%s/memtop.prom", dir) >= sizeof dst) {
		snprintf(cause, causelen, "--textfile: directory name too long");
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1) {
		snprintf(cause, causelen, "--textfile: %s: %s", tmp,
		    strerror(errno));
		return -1;
	}
	while (off < len) {
		n = write(fd, buf + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	err = off < len ? (errno != 0 ? errno : EIO) : 0;
	if (close(fd) == -1 && err == 0)
		err = errno;
	if (err == 0 && rename(tmp, dst) == -1)
		err = errno;
	if (err != 0) {
		snprintf(cause, causelen, "--textfile: %s: %s", dst,
		    strerror(err));
		unlink(tmp);
		return -1;
	}
	return 0;
}
