#include "config.h"

#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "util/memtrim.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN	1
#endif
#endif

#define N	20000
#define SZ	512

/*
 * A spike of small blocks, freed: mem_give_back does not look at the heap
 * again within MEM_LOOK_EVERY seconds of its last look (the free part
 * stays), and gives it back at its first look after.
 */
static void
test_spike_given_back_once_a_second(void **state)
{
	static void	*p[N];
	size_t		 i, back;

	(void)state;
#ifdef UNDER_ASAN
	skip();	/* ASan's allocator: glibc's mallinfo2 sees none of it */
#endif
	/* free() must not trim the top itself: only mem_give_back does */
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	for (i = 0; i < N; i++)
		assert_non_null(p[i] = malloc(SZ));
	assert_int_equal(mem_give_back(100.0), 0);	/* the peak noted */
	for (i = 0; i < N; i++)
		free(p[i]);
	assert_true(mallinfo2().fordblks >= (size_t)N * SZ * 9 / 10);
	/* 0.5 s later: not looked at, nothing given back */
	assert_int_equal(mem_give_back(100.5), 0);
	assert_true(mallinfo2().fordblks >= (size_t)N * SZ * 9 / 10);
	/* after a second: the spike went, the heap's top is given back */
	back = mem_give_back(100.0 + MEM_LOOK_EVERY + 0.1);
	assert_true(back >= (size_t)N * SZ * 9 / 10);
	assert_true(mallinfo2().fordblks < (size_t)N * SZ / 10);
	/* and steady use after it gives nothing back */
	assert_int_equal(mem_give_back(105.0), 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_spike_given_back_once_a_second),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
