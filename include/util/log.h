#ifndef MEMTOP_UTIL_LOG_H
#define MEMTOP_UTIL_LOG_H

/*
 * Messages about bad input (a malformed file, a vanished process) go here, not
 * to the terminal: to the file given with --log (or stderr with --log -), and
 * the newest one is kept for the status line.
 */
int		 log_open(const char *path);	/* "-" = stderr; 0 or -errno */
void		 log_close(void);
void		 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
/* The newest warning (borrowed, "" if none) and how many were logged. */
const char	*log_last(void);
unsigned long	 log_count(void);

#endif
