#ifndef MEMTOP_UTIL_XMALLOC_H
#define MEMTOP_UTIL_XMALLOC_H

#include <stddef.h>

/* Allocators that abort with a message on out-of-memory; never return NULL. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* printf into a new string; the caller frees it. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
