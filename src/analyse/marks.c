#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analyse/detectors.h"
#include "analyse/marks.h"
#include "util/fmt.h"

const char *
marks_argv0(const char *cmdline, char *buf, size_t len)
{
	const char	*end, *slash;

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
	return fmt_copy(buf, len, slash, (size_t)(end - slash));
}

unsigned
marks_from_maps(void *ctx, const struct snap_proc *sp, const struct maps *m,
    struct maps_tally *tally)
{
	struct finding		f;
	struct detect_ctx	c;
	char			argv0[64];
	size_t			j;
	unsigned		marks = 0;

	(void)ctx;
	_Static_assert(MAPS_TALLY_RULES <= 8 * sizeof marks,
	    "a mark bit per rule");
	c.comm = sp->comm;
	c.exe = marks_argv0(sp->cmdline, argv0, sizeof argv0);
	c.stack_limit = 0;
	memset(tally, 0, sizeof *tally);
	for (j = 0; j < detector_count && j < MAPS_TALLY_RULES; j++) {
		memset(&f, 0, sizeof f);
		if (detector_table[j].detect(m, &c, &f))
			marks |= 1u << j;
		tally->count[j] = f.count;
		tally->bytes[j] = f.size;
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
