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

static void
marks_begin(void *run, void *ctx, const char *comm, const char *cmdline)
{
	struct detect_ctx	c;
	char			argv0[64];

	(void)ctx;
	c.comm = comm;
	c.exe = marks_argv0(cmdline, argv0, sizeof argv0);
	c.stack_limit = 0;
	detect_begin(run, &c);
}

static void
marks_mapping(void *run, const struct mapping *mp)
{
	detect_feed(run, mp);
}

static unsigned
marks_end(void *run, struct maps_tally *tally)
{
	struct detect_run	*d = run;
	unsigned		 marks;
	size_t			 j;

	_Static_assert(DETECT_RULES <= MAPS_TALLY_RULES &&
	    MAPS_TALLY_RULES <= 8 * sizeof marks, "a tally and a bit per rule");
	marks = detect_end(d, false);
	memset(tally, 0, sizeof *tally);
	for (j = 0; j < detector_count; j++) {
		tally->count[j] = d->f[j].count;
		tally->bytes[j] = d->f[j].size;
	}
	return marks;
}

const struct maps_hook marks_hook = {
	sizeof(struct detect_run), marks_begin, marks_mapping, marks_end
};

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
