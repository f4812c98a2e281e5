#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analyse/detectors.h"
#include "analyse/marks.h"

const char *
marks_argv0(const char *cmdline, char *buf, size_t len)
{
	const char	*end, *slash;
	size_t		 n;

	if (cmdline == NULL || len == 0)
		return NULL;
	end = strchr(cmdline, ' ');
	if (end == NULL)
		end = cmdline + strlen(cmdline);
	slash = cmdline;
	for (const char *p = cmdline; p < end; p++) {
		if (*p == '/')
			slash = p + 1;
	}
	n = (size_t)(end - slash);
	if (n >= len)
		n = len - 1;
	memcpy(buf, slash, n);
	buf[n] = '\0';
	return buf;
}

unsigned
marks_from_maps(void *ctx, const struct snap_proc *sp, const struct maps *m)
{
	struct finding		f[8];
	struct detect_ctx	c;
	char			argv0[64];
	size_t			n, i, j;
	unsigned		marks = 0;

	(void)ctx;
	c.comm = sp->comm;
	c.exe = marks_argv0(sp->cmdline, argv0, sizeof argv0);
	c.stack_limit = 0;
	n = detect_all(m, &c, f, 8);
	for (i = 0; i < n; i++) {
		for (j = 0; j < detector_count; j++) {
			if (strcmp(f[i].rule, detector_table[j].rule) == 0)
				marks |= 1u << j;
		}
	}
	return marks;
}

const char *
marks_names(unsigned marks, char *buf, size_t len)
{
	size_t	j;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (j = 0; j < detector_count; j++) {
		if (!(marks & (1u << j)))
			continue;
		if (buf[0] != '\0')
			strncat(buf, ",", len - strlen(buf) - 1);
		strncat(buf, detector_table[j].rule, len - strlen(buf) - 1);
	}
	return buf;
}
