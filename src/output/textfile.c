#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/textfile.h"

/* DIR/.memtop.prom.PID.tmp and DIR/memtop.prom; -1 if DIR is too long. */
static int
textfile_paths(const char *dir, char *tmp, char *dst, size_t len)
{
	if ((size_t)snprintf(tmp, len, "%s/.memtop.prom.%ld.tmp", dir,
	    (long)getpid()) >= len || (size_t)snprintf(dst, len,
	    "%s/memtop.prom", dir) >= len)
		return -1;
	return 0;
}

int
textfile_check(const char *dir, char *cause, size_t causelen)
{
	char		tmp[4096], dst[4096];
	struct stat	st;
	int		fd;

	if (*dir == '\0') {
		snprintf(cause, causelen, "--textfile: an empty directory "
		    "name");
		return -1;
	}
	if (textfile_paths(dir, tmp, dst, sizeof tmp) != 0) {
		snprintf(cause, causelen, "--textfile: directory name too "
		    "long");
		return -1;
	}
	if (stat(dir, &st) == -1) {
		snprintf(cause, causelen, "--textfile %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(cause, causelen, "--textfile %s: not a directory",
		    dir);
		return -1;
	}
	/* the only sure test of "can write here": create the temp file */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1) {
		snprintf(cause, causelen, "--textfile %s: cannot write there: "
		    "%s", dir, strerror(errno));
		return -1;
	}
	close(fd);
	unlink(tmp);
	return 0;
}

/* textfile_write, returning 0 or a negative errno. */
static int
textfile_put(const char *dir, const char *buf, size_t len, char *cause,
    size_t causelen)
{
	char	tmp[4096], dst[4096];
	size_t	off = 0;
	ssize_t	n;
	int	fd, err;

	if (textfile_paths(dir, tmp, dst, sizeof tmp) != 0) {
		snprintf(cause, causelen, "--textfile: directory name too long");
		return -ENAMETOOLONG;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1) {
		err = errno;
		goto fail;
	}
	errno = 0;
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
	if (err == 0)
		return 0;
	unlink(tmp);
fail:
	/* a missing file is better than one with old figures */
	if (unlink(dst) == 0)
		snprintf(cause, causelen, "--textfile: %s: %s: removed it "
		    "(stale figures are worse than none) until a write works "
		    "again", dst, strerror(err));
	else if (errno == ENOENT)
		snprintf(cause, causelen, "--textfile: %s: %s (tried again "
		    "each refresh)", dst, strerror(err));
	else
		snprintf(cause, causelen, "--textfile: %s: %s, and the old "
		    "file cannot be removed: %s", dst, strerror(err),
		    strerror(errno));
	return -err;
}

int
textfile_write(const char *dir, const char *buf, size_t len, char *cause,
    size_t causelen)
{
	return textfile_put(dir, buf, len, cause, causelen) == 0 ? 0 : -1;
}

int
textfile_update(struct textfile_state *ts, const char *dir, const char *buf,
    size_t len, char *msg, size_t msglen)
{
	int	err;

	err = textfile_put(dir, buf, len, msg, msglen);
	if (err == 0) {
		if (ts->err == 0)
			return 0;
		ts->err = 0;
		snprintf(msg, msglen, "--textfile: %s/memtop.prom written "
		    "again", dir);
		return 1;
	}
	if (ts->err == err)
		return 0;	/* said already */
	ts->err = err;
	return 1;
}
