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

#endif
