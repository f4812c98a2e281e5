/*
 * The pure side of the HotSpot GC: what its diagnostic commands print
 * (GC.heap_info, VM.native_memory summary, the attach reply), whether its
 * attach mechanism is off, whether a process is a JVM, and the figures as
 * JSON.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "actions/hotspot.h"
#include "util/jsonu.h"
#include "util/readfile.h"

/*
 * A size as HotSpot prints it at p: digits and a unit (B, K, M, G, T, or
 * KB, MB, GB as NMT does). UINT64_MAX if there is none.
 */
static uint64_t
size_at(const char *p, const char *end)
{
	uint64_t	v = 0, mul;
	bool		digits = false;

	while (p < end && *p == ' ')
		p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > UINT64_MAX / 10 - 10)
			return UINT64_MAX;
		v = v * 10 + (uint64_t)(*p - '0');
		digits = true;
	}
	if (!digits || p >= end)
		return UINT64_MAX;
	switch (*p) {
	case 'B':
		mul = 1;
		break;
	case 'K':
		mul = 1ULL << 10;
		break;
	case 'M':
		mul = 1ULL << 20;
		break;
	case 'G':
		mul = 1ULL << 30;
		break;
	case 'T':
		mul = 1ULL << 40;
		break;
	default:
		return UINT64_MAX;
	}
	return v > UINT64_MAX / mul ? UINT64_MAX : v * mul;
}

/* The size right after key in [p, end), or UINT64_MAX. */
static uint64_t
size_after(const char *p, const char *end, const char *key)
{
	const char	*k = memmem(p, (size_t)(end - p), key, strlen(key));

	return k == NULL ? UINT64_MAX : size_at(k + strlen(key), end);
}

/* The size right before " word" in [p, end) ("377M committed"). */
static uint64_t
size_before(const char *p, const char *end, const char *word)
{
	const char	*k = memmem(p, (size_t)(end - p), word, strlen(word));
	const char	*s;

	if (k == NULL || k == p)
		return UINT64_MAX;
	s = k;
	while (s > p && s[-1] != ' ' && s[-1] != ',')
		s--;
	return size_at(s, k);
}

static bool
has(const char *p, const char *end, const char *s)
{
	return memmem(p, (size_t)(end - p), s, strlen(s)) != NULL;
}

static void
add(uint64_t *acc, uint64_t v)
{
	if (*acc == UINT64_MAX || v == UINT64_MAX)
		*acc = UINT64_MAX;
	else
		*acc += v;
}

static void
heap_line(const char *p, const char *end, struct hs_heap *h, bool *seen)
{
	static const struct {
		const char	*key, *name;
	} names[] = {
		{ "garbage-first heap", "G1" }, { "PSYoungGen", "Parallel" },
		{ "def new generation", "Serial" },
		{ "Shenandoah Heap", "Shenandoah" }, { "ZHeap", "ZGC" },
		{ "Epsilon Heap", "Epsilon" }
	};
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (h->collector[0] == '\0' && has(p, end, names[i].key))
			snprintf(h->collector, sizeof h->collector, "%s",
			    names[i].name);
	}
	if (has(p, end, "class space"))
		return;		/* a part of Metaspace, counted there */
	if (has(p, end, "Metaspace")) {
		h->meta_used = size_after(p, end, "used ");
		h->meta_committed = size_after(p, end, "committed ");
		return;
	}
	if (has(p, end, " total ") && has(p, end, ", used ")) {
		/* G1, a generation of Parallel or Serial, Epsilon; JDK 21
		 * says "total reserved N, committed M, used U" */
		add(&h->committed, has(p, end, ", committed ") ?
		    size_after(p, end, ", committed ") :
		    size_after(p, end, " total "));
		add(&h->used, size_after(p, end, ", used "));
		*seen = true;
	} else if (has(p, end, " committed,") && has(p, end, " used")) {
		/* Shenandoah: "1024M max, ..., 377M committed, 59392K used" */
		h->committed = size_before(p, end, " committed");
		h->used = size_before(p, end, " used");
		*seen = true;
	} else if (has(p, end, "ZHeap")) {
		/* "ZHeap used 100M, capacity 378M, max capacity 1024M" */
		h->used = size_after(p, end, "used ");
		h->committed = size_after(p, end, ", capacity ");
		*seen = true;
	}
}

int
hotspot_parse_heap_info(const char *buf, size_t len, struct hs_heap *h)
{
	const char	*p = buf, *end = buf + len, *nl;
	bool		 seen = false;

	memset(h, 0, sizeof *h);
	h->meta_committed = h->meta_used = UINT64_MAX;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		heap_line(p, nl, h, &seen);
	}
	h->ok = seen && h->committed != UINT64_MAX && h->used != UINT64_MAX;
	if (!seen)
		h->committed = h->used = UINT64_MAX;
	return h->ok ? 0 : -1;
}

int
hotspot_parse_nmt(const char *buf, size_t len, struct hs_nmt *n)
{
	const char	*p = buf, *end = buf + len, *nl, *name, *paren;
	bool		 total = false;

	memset(n, 0, sizeof *n);
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl - p > 6 && strncmp(p, "Total:", 6) == 0) {
			n->reserved = size_after(p, nl, "reserved=");
			n->committed = size_after(p, nl, "committed=");
			total = true;
			continue;
		}
		/* "-   Java Heap (reserved=1048576KB, committed=653312KB)" */
		if (*p != '-' || n->n == HS_NMT_MAX ||
		    (paren = memmem(p, (size_t)(nl - p), " (reserved=", 11)) ==
		    NULL)
			continue;
		for (name = p + 1; name < paren && *name == ' '; name++)
			;
		snprintf(n->cat[n->n].name, sizeof n->cat[n->n].name, "%.*s",
		    (int)(paren - name), name);
		n->cat[n->n].reserved = size_after(paren, nl, "reserved=");
		n->cat[n->n].committed = size_after(paren, nl, "committed=");
		n->n++;
	}
	if (!total)
		n->n = 0;
	return total ? 0 : -1;
}

const char *
hotspot_parse_reply(const char *buf, size_t len, int *rc)
{
	const char	*nl = memchr(buf, '\n', len);
	char		 t[16], *e;
	long		 v;

	if (nl == NULL || nl == buf || (size_t)(nl - buf) >= sizeof t)
		return NULL;
	memcpy(t, buf, (size_t)(nl - buf));
	t[nl - buf] = '\0';
	v = strtol(t, &e, 10);
	if (*e != '\0' || v < -1000000 || v > 1000000)
		return NULL;
	*rc = (int)v;
	return nl + 1;
}

/* The last -XX:[+-]DisableAttachMechanism in [p, end), into *state. */
static void
flag_in(const char *p, size_t len, int *state)
{
	static const char	on[] = "-XX:+DisableAttachMechanism";
	static const char	off[] = "-XX:-DisableAttachMechanism";
	const char		*end = p + len, *a;
	size_t			 l;

	for (; p < end; p = a + l + 1) {
		a = p;
		while (a < end && (*a == ' ' || *a == '\0'))
			a++;
		l = 0;
		while (a + l < end && a[l] != ' ' && a[l] != '\0')
			l++;
		if (l == sizeof on - 1 && memcmp(a, on, l) == 0)
			*state = 1;
		else if (l == sizeof off - 1 && memcmp(a, off, l) == 0)
			*state = 0;
		if (a + l >= end)
			break;
	}
}

bool
hotspot_attach_disabled(const char *cmdline, size_t len,
    const char *tool_opts, const char *jdk_opts, const char *java_opts)
{
	int	state = 0;

	/* the order HotSpot applies them in: _JAVA_OPTIONS last */
	if (tool_opts != NULL)
		flag_in(tool_opts, strlen(tool_opts), &state);
	if (jdk_opts != NULL)
		flag_in(jdk_opts, strlen(jdk_opts), &state);
	flag_in(cmdline, len, &state);
	if (java_opts != NULL)
		flag_in(java_opts, strlen(java_opts), &state);
	return state == 1;
}

bool
hotspot_attach_disabled_read(const char *proc_root, int pid)
{
	static const char *const vars[3] = { "JAVA_TOOL_OPTIONS=",
	    "JDK_JAVA_OPTIONS=", "_JAVA_OPTIONS=" };
	const char	*val[3] = { NULL, NULL, NULL }, *p, *end;
	char		 path[4200];
	struct buf	 cmd, env;
	size_t		 i;
	bool		 off;

	buf_init(&cmd);
	buf_init(&env);
	snprintf(path, sizeof path, "%s/%d/environ", proc_root, pid);
	/* an environment holds secrets: only these values are looked at */
	if (read_file_secret(path, &env, 1 << 20) == 0) {
		end = env.data + env.len;
		for (p = env.data; p < end; p += strlen(p) + 1) {
			for (i = 0; i < 3; i++) {
				if (strncmp(p, vars[i], strlen(vars[i])) == 0)
					val[i] = p + strlen(vars[i]);
			}
		}
	}
	snprintf(path, sizeof path, "%s/%d/cmdline", proc_root, pid);
	if (read_file(path, &cmd, 1 << 20) != 0)
		buf_reset(&cmd);
	off = hotspot_attach_disabled(cmd.data != NULL ? cmd.data : "", cmd.len,
	    val[0], val[1], val[2]);
	if (env.data != NULL)
		explicit_bzero(env.data, env.cap);
	buf_done(&env);
	buf_done(&cmd);
	return off;
}

bool
hotspot_is_jvm(const char *proc_root, int pid)
{
	char	 path[4200], *line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;
	FILE	*f;
	bool	 jvm = false;

	snprintf(path, sizeof path, "%s/%d/maps", proc_root, pid);
	if ((f = fopen(path, "re")) == NULL)
		return false;
	while (!jvm && (n = getline(&line, &cap, f)) > 0) {
		if (n > 10 && line[n - 1] == '\n')
			line[--n] = '\0';
		jvm = n > 10 && strcmp(line + n - 10, "/libjvm.so") == 0;
	}
	free(line);
	fclose(f);
	return jvm;
}

bool
hotspot_sock_exists(const char *proc_root, int pid, int nspid)
{
	char		path[4200];
	struct stat	st;

	snprintf(path, sizeof path, "%s/%d/root/tmp/.java_pid%d", proc_root,
	    pid, nspid);
	return lstat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

const char *
hotspot_guard(const struct proc_status *st, bool sock_exists, bool disabled,
    char *buf, size_t len)
{
	(void)buf;
	(void)len;
	if (disabled)
		return "it runs with -XX:+DisableAttachMechanism: HotSpot "
		    "does not attach (SIGQUIT would only print a thread dump)";
	if (sock_exists)
		return NULL;	/* attached through it: no signal */
	if (!st->have_sigcgt)
		return "cannot read its SigCgt: refusing to send SIGQUIT";
	if (!(st->sig_caught & SIGQUIT_BIT))
		return "no attach socket and it does not catch SIGQUIT (-Xrs? "
		    "SigCgt bit 2 clear): SIGQUIT would kill it; start it with "
		    "-XX:+StartAttachListener";
	return NULL;
}

json_t *
hotspot_heap_json(const struct hs_heap *h)
{
	json_t	*o;

	if (!h->ok)
		return json_null();
	o = json_object();
	json_object_set_new(o, "collector", h->collector[0] ?
	    json_string(h->collector) : json_null());
	json_object_set_new(o, "committed", json_u64(h->committed));
	json_object_set_new(o, "used", json_u64(h->used));
	json_object_set_new(o, "metaspace_committed",
	    json_u64(h->meta_committed));
	json_object_set_new(o, "metaspace_used", json_u64(h->meta_used));
	return o;
}

static uint64_t
u64_of(json_t *o, const char *k)
{
	json_t	*v = json_object_get(o, k);

	return json_is_integer(v) && json_integer_value(v) >= 0 ?
	    (uint64_t)json_integer_value(v) : UINT64_MAX;
}

void
hotspot_heap_from_json(json_t *o, struct hs_heap *h)
{
	json_t	*c;

	memset(h, 0, sizeof *h);
	h->committed = h->used = h->meta_committed = h->meta_used =
	    UINT64_MAX;
	if (!json_is_object(o))
		return;
	if (json_is_string(c = json_object_get(o, "collector")))
		snprintf(h->collector, sizeof h->collector, "%s",
		    json_string_value(c));
	h->committed = u64_of(o, "committed");
	h->used = u64_of(o, "used");
	h->meta_committed = u64_of(o, "metaspace_committed");
	h->meta_used = u64_of(o, "metaspace_used");
	h->ok = h->committed != UINT64_MAX && h->used != UINT64_MAX;
}

json_t *
hotspot_nmt_json(const struct hs_nmt *n)
{
	json_t	*o, *a, *c;
	size_t	 i;

	if (n->n == 0)
		return json_null();
	o = json_object();
	a = json_array();
	json_object_set_new(o, "reserved", json_u64(n->reserved));
	json_object_set_new(o, "committed", json_u64(n->committed));
	for (i = 0; i < n->n; i++) {
		c = json_object();
		json_object_set_new(c, "name", json_string(n->cat[i].name));
		json_object_set_new(c, "reserved",
		    json_u64(n->cat[i].reserved));
		json_object_set_new(c, "committed",
		    json_u64(n->cat[i].committed));
		json_array_append_new(a, c);
	}
	json_object_set_new(o, "categories", a);
	return o;
}

void
hotspot_nmt_from_json(json_t *o, struct hs_nmt *n)
{
	json_t	*a, *c, *s;
	size_t	 i;

	memset(n, 0, sizeof *n);
	if (!json_is_object(o))
		return;
	n->reserved = u64_of(o, "reserved");
	n->committed = u64_of(o, "committed");
	a = json_object_get(o, "categories");
	for (i = 0; i < json_array_size(a) && n->n < HS_NMT_MAX; i++) {
		c = json_array_get(a, i);
		if (!json_is_string(s = json_object_get(c, "name")))
			continue;
		snprintf(n->cat[n->n].name, sizeof n->cat[n->n].name, "%s",
		    json_string_value(s));
		n->cat[n->n].reserved = u64_of(c, "reserved");
		n->cat[n->n].committed = u64_of(c, "committed");
		n->n++;
	}
}
