#include "config.h"

#include "collect/read_plan.h"

size_t
read_plan_fresh(const struct read_plan *plan, int pid, unsigned long long start)
{
	size_t	i;

	if (plan == NULL)
		return READ_PLAN_NONE;
	for (i = 0; i < plan->nfresh; i++) {
		if (plan->fresh[i].pid == pid && plan->fresh[i].start == start)
			return i;
	}
	return READ_PLAN_NONE;
}
