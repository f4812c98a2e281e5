#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/log.h"

static FILE		*log_file;
static char		 log_last_msg[256];
static unsigned long	 log_n;

int
log_open(const char *path)
{
	log_close();
	if (strcmp(path, "-") == 0) {
		log_file = stderr;
		return 0;
	}
	log_file = fopen(path, "ae");
	if (log_file == NULL)
		return -errno;
	setvbuf(log_file, NULL, _IOLBF, 0);
	return 0;
}

void
log_close(void)
{
	if (log_file != NULL && log_file != stderr)
		fclose(log_file);
	log_file = NULL;
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(log_last_msg, sizeof log_last_msg, fmt, ap);
	va_end(ap);
	log_n++;
	if (log_file != NULL)
		fprintf(log_file, "memtop[%ld]: %s\n", (long)time(NULL), log_last_msg);
}

const char *
log_last(void)
{
	return log_last_msg;
}

unsigned long
log_count(void)
{
	return log_n;
}
