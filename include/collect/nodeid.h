#ifndef MEMTOP_COLLECT_NODEID_H
#define MEMTOP_COLLECT_NODEID_H

#include "collect/sample.h"
#include "util/readfile.h"

/*
 * Fills sn->boot_id (the kernel's boot id under proc_root: part of a
 * process's identity across runs) and sn->node_name (the host's
 * /etc/hostname under host_root, else this UTS namespace's hostname; static
 * pods are named after it). b is scratch space.
 */
void	nodeid_read(const char *proc_root, const char *host_root,
	    struct buf *b, struct snapshot *sn);

#endif
