/*
 * Without --enable-fuzzing every target links this main(): it runs the
 * target once on each file given, or on every file of each directory given
 * (the seed corpus and the saved crashes), so `make check` replays them.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util/readfile.h"

static int
run_file(const char *path)
{
	struct buf	b;

	buf_init(&b);
	if (read_file(path, &b, 0) != 0) {
		fprintf(stderr, "cannot read %s\n", path);
		buf_done(&b);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
	buf_done(&b);
	return 0;
}

int
main(int argc, char **argv)
{
	int		 i, n = 0, bad = 0;
	struct stat	 st;

	for (i = 1; i < argc; i++) {
		DIR		*d;
		struct dirent	*de;

		if (stat(argv[i], &st) != 0)
			continue;	/* an empty crash directory is fine */
		if (!S_ISDIR(st.st_mode)) {
			bad |= run_file(argv[i]);
			n++;
			continue;
		}
		if ((d = opendir(argv[i])) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			char	p[4096];

			if (de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof p, "%s/%s", argv[i], de->d_name);
			bad |= run_file(p);
			n++;
		}
		closedir(d);
	}
	printf("%d inputs replayed\n", n);
	return bad || n == 0 ? 1 : 0;
}
