#ifndef MEMTOP_CMD_H
#define MEMTOP_CMD_H

#include <stdio.h>

/* Subcommands: `memtop maps PID`, `memtop diff PID1 PID2`, `memtop gc PID`. */
/* memtop --help (src/usage.c) */
void	memtop_usage(FILE *);

int	cmd_maps(int argc, char **argv);
int	cmd_diff(int argc, char **argv);
/* memtop diff --replica POD: a pod and its healthiest replica */
int	cmd_diff_replica(int argc, char **argv);
int	cmd_gc(int argc, char **argv);

/*
 * memtop --at TIME (src/cmd_at.c): TIME ("-2h", "-90m", "20:05" (the last
 * one), "2026-11-30T20:05[:SS][Z]", "@EPOCH") as epoch seconds, 0 or -1;
 * and that recorded moment from the store at path, as -b text, --json or
 * the dashboard. Exit status.
 */
enum at_mode { AT_TEXT, AT_JSON, AT_DASHBOARD };
struct sort_key;
int	at_parse_time(const char *s, double now, double *out);
int	cmd_at(const char *path, const char *when, enum at_mode,
	    double window, const struct sort_key *);

#endif
