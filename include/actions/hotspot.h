#ifndef MEMTOP_ACTIONS_HOTSPOT_H
#define MEMTOP_ACTIONS_HOTSPOT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/status.h"

/*
 * A forced GC in a HotSpot JVM (OpenJDK), the way jcmd does it, from the
 * host and across the container's namespaces: the attach socket
 * /proc/PID/root/tmp/.java_pid<NSpid>, started when missing with a trigger
 * file and SIGQUIT (only when the JVM catches SIGQUIT and its attach
 * mechanism is on), then "jcmd GC.heap_info", "jcmd GC.run", and
 * "jcmd VM.native_memory summary" over it, connected with the JVM's own
 * effective uid and gid. The parsers and the checks are pure
 * (hotspot_info.c); the conversation is hotspot.c's.
 */

/* GC.heap_info's figures, in bytes (UINT64_MAX: not in the output). */
struct hs_heap {
	bool		ok;		/* the heap's committed and used read */
	char		collector[16];	/* "G1", "Parallel", "Serial", ... */
	uint64_t	committed, used;
	uint64_t	meta_committed, meta_used;	/* Metaspace */
};

/* VM.native_memory summary (NMT): its categories, in bytes. */
#define HS_NMT_MAX	32

struct hs_nmt_cat {
	char		name[32];	/* "Java Heap", "Thread", "Code", ... */
	uint64_t	reserved, committed;
};

struct hs_nmt {
	size_t			n;	/* 0: NMT off, or not asked */
	uint64_t		reserved, committed;	/* its Total: line */
	struct hs_nmt_cat	cat[HS_NMT_MAX];
};

#define SIGQUIT_BIT	(1ULL << 2)	/* signal 3 in SigCgt */

/*
 * Parses GC.heap_info output (after the attach reply's status line) of G1,
 * Parallel, Serial, Shenandoah and Z. 0 with h->ok, or -1 when no heap
 * figure was found (h says what was).
 */
int	hotspot_parse_heap_info(const char *, size_t, struct hs_heap *);

/*
 * Parses "VM.native_memory summary" output. 0 with its categories, -1 when
 * it is not an NMT summary (NMT off: "not enabled"); n is then 0.
 */
int	hotspot_parse_nmt(const char *, size_t, struct hs_nmt *);

/*
 * Parses an attach reply: "<rc>\n<output>". Returns the output's start and
 * sets *rc, or NULL if the first line is not a number.
 */
const char *hotspot_parse_reply(const char *, size_t, int *rc);

/*
 * Whether -XX:+DisableAttachMechanism is in effect from what memtop can
 * see: the JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS and _JAVA_OPTIONS values
 * (space-separated, each may be NULL) and the command line (NUL-separated),
 * the last -XX:[+-]DisableAttachMechanism winning (pure).
 */
bool	hotspot_attach_disabled(const char *cmdline, size_t len,
	    const char *tool_opts, const char *jdk_opts, const char *java_opts);

/* The same, read from proc_root/PID/{cmdline,environ}. */
bool	hotspot_attach_disabled_read(const char *proc_root, int pid);

/* Whether libjvm.so is mapped in the process (reads its maps). */
bool	hotspot_is_jvm(const char *proc_root, int pid);

/*
 * NULL if memtop may attach to the JVM and collect, else why not (static
 * or in buf). sock_exists: its attach socket is there (then no signal is
 * needed); disabled: hotspot_attach_disabled said so. Stopped, traced and
 * privileges are the caller's (pure).
 */
const char *hotspot_guard(const struct proc_status *, bool sock_exists,
	    bool disabled, char *buf, size_t len);

/*
 * Whether its attach socket file exists, through proc_root/PID/root/tmp
 * (nspid: the JVM's pid in its own namespace).
 */
bool	hotspot_sock_exists(const char *proc_root, int pid, int nspid);

/* The figures as JSON (null when unknown) and back (hotspot_info.c). */
json_t	*hotspot_heap_json(const struct hs_heap *);
void	 hotspot_heap_from_json(json_t *, struct hs_heap *);
json_t	*hotspot_nmt_json(const struct hs_nmt *);
void	 hotspot_nmt_from_json(json_t *, struct hs_nmt *);

struct gc_opts;
struct gc_result;
struct gc_sink;

/*
 * The HotSpot part of gc_run, in its child (gc.c has checked, taken the
 * lock and measured before): attach (starting the listener if needed),
 * heap before, GC.run, RSS settling, heap and NMT after, RSS after. The
 * trigger file memtop created is removed on every path; memtop's effective
 * uid and gid become the JVM's before it connects (for good: the child
 * does nothing else as root afterwards). pidfd may be -1.
 */
void	hotspot_collect(int pid, int pidfd, const struct gc_opts *,
	    const struct gc_sink *, struct gc_result *);

#endif
