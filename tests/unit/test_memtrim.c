#include "config.h"

#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/memtrim.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN	1
#endif
#endif

#define SZ	512
#define MIB	(1u << 20)

static void	*blk[3 * 20480];	/* 30 MiB in 512-byte blocks */

/* n MiB of blocks from blk[at] on */
static void
take(size_t at, size_t mib)
{
	size_t	i;

	for (i = at; i < at + mib * MIB / SZ; i++)
		assert_non_null(blk[i] = malloc(SZ));
}

static void
give(size_t at, size_t mib)
{
	size_t	i;

	for (i = at; i < at + mib * MIB / SZ; i++) {
		free(blk[i]);
		blk[i] = NULL;
	}
}

/* the test's resident bytes, from /proc/self/statm */
static size_t
resident(void)
{
	FILE		*f = fopen("/proc/self/statm", "r");
	unsigned long	 size = 0, res = 0;

	assert_non_null(f);
	assert_int_equal(fscanf(f, "%lu %lu", &size, &res), 2);
	fclose(f);
	return res * (size_t)sysconf(_SC_PAGESIZE);
}

/*
 * One heap, one history (mem_give_back keeps its state), checked by what
 * stays resident: a spike that left 8 MiB or more free, given back at the
 * first look a second after the last; a smaller spike, kept while bursts
 * come back for it and given back once it stayed free for MEM_HOLD
 * seconds; and a heap mostly free but by less than 8 MiB, kept for
 * MEM_HOLD seconds too.
 */
static void
test_give_back(void **state)
{
	const size_t	base = 0, spike = 4 * MIB / SZ;
	double		t = 100;
	size_t		r;

	(void)state;
#ifdef UNDER_ASAN
	skip();	/* ASan's allocator: glibc's mallinfo2 sees none of it */
#endif
	/* free() must not trim the top itself: only mem_give_back does */
	mallopt(M_TRIM_THRESHOLD, 1 << 30);

	/* 1. 4 MiB in use, a 10 MiB spike on top, gone: at once (>= 8 MiB) */
	take(base, 4);
	take(spike, 10);
	assert_false(mem_give_back(t));	/* the peak noted */
	give(spike, 10);
	r = resident();
	/* half a second later: not looked at, nothing given back */
	assert_false(mem_give_back(t + 0.5));
	assert_true(resident() + MIB > r);
	/* a second after the last look: given back */
	assert_true(mem_give_back(t + MEM_LOOK_EVERY + 0.1));
	assert_true(resident() + 9 * MIB < r);
	t += 10;
	assert_false(mem_give_back(t));	/* steady: nothing */

	/* 2. a 2 MiB burst on the 4 MiB, gone: less than 8 MiB free */
	take(spike, 2);
	assert_false(mem_give_back(t += 2));
	give(spike, 2);
	r = resident();
	assert_false(mem_give_back(t += 2));	/* kept: free since t */
	/* the next burst takes it again: the wait starts over */
	take(spike, 2);
	assert_false(mem_give_back(t += MEM_HOLD - 5));
	give(spike, 2);
	assert_false(mem_give_back(t += 10));	/* free since t */
	assert_false(mem_give_back(t + MEM_HOLD - 1));
	assert_true(resident() + MIB > r);
	/* free for MEM_HOLD seconds: given back */
	assert_true(mem_give_back(t + MEM_HOLD + 1));
	assert_true(resident() + MIB + MIB / 2 < r);

	/* 3. the 4 MiB gone too: mostly free, but by less than 8 MiB */
	give(base, 4);
	r = resident();
	t += MEM_HOLD + 10;
	assert_false(mem_give_back(t));
	assert_false(mem_give_back(t + MEM_HOLD - 1));
	assert_true(resident() + MIB > r);
	assert_true(mem_give_back(t + MEM_HOLD + 1));
	assert_true(resident() + 3 * MIB < r);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_give_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
