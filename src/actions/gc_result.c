/*
 * A GC result as JSON (the child's report, memtop gc --json) and back, and
 * the V8 figures inside it.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "actions/gc.h"
#include "util/jsonu.h"

void
gc_result_init(struct gc_result *r, int pid, unsigned long long start)
{
	memset(r, 0, sizeof *r);
	r->pid = pid;
	r->start = start;
	r->rss_before = r->rss_after = UINT64_MAX;
	r->pss_anon_before = r->pss_anon_after = UINT64_MAX;
	hotspot_heap_from_json(NULL, &r->heap_before);
	hotspot_heap_from_json(NULL, &r->heap_after);
}

void
gc_result_error(struct gc_result *r, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof r->error, fmt, ap);
	va_end(ap);
}

int64_t
gc_outside_heap(const struct gc_result *r, bool after)
{
	const struct hs_heap	*h = after ? &r->heap_after : &r->heap_before;
	uint64_t		 rss = after ? r->rss_after : r->rss_before;

	if (r->runtime != GC_RT_HOTSPOT)
		return gc_outside_v8(after ? &r->v8_after : &r->v8_before);
	if (!h->ok || rss == UINT64_MAX)
		return -1;
	return rss > h->committed ? (int64_t)(rss - h->committed) : 0;
}

int64_t
gc_outside_v8(const struct v8_mem *v)
{
	uint64_t	in;

	if (!v->ok)
		return -1;
	in = v->heap_total + v->external + v->array_buffers;
	return v->rss > in ? (int64_t)(v->rss - in) : 0;
}

static uint64_t
nonneg(json_t *m, const char *k, bool *ok)
{
	json_t	*v = json_object_get(m, k);

	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		*ok = false;
		return 0;
	}
	return (uint64_t)json_integer_value(v);
}

int
gc_parse_memory_usage(json_t *result, struct v8_mem *v)
{
	json_t		*val, *m;
	json_error_t	 je;
	bool		 ok = true;

	memset(v, 0, sizeof *v);
	val = json_object_get(json_object_get(result, "result"), "value");
	m = json_is_string(val) ? json_loads(json_string_value(val), 0, &je) :
	    NULL;
	if (!json_is_object(m)) {
		json_decref(m);
		return -1;
	}
	v->rss = nonneg(m, "rss", &ok);
	v->heap_total = nonneg(m, "heapTotal", &ok);
	v->heap_used = nonneg(m, "heapUsed", &ok);
	v->external = nonneg(m, "external", &ok);
	v->array_buffers = nonneg(m, "arrayBuffers", &ok);
	v->heap_limit = json_is_integer(json_object_get(m, "heapSizeLimit")) &&
	    json_integer_value(json_object_get(m, "heapSizeLimit")) > 0 ?
	    (uint64_t)json_integer_value(json_object_get(m, "heapSizeLimit")) :
	    UINT64_MAX;
	json_decref(m);
	v->ok = ok && v->rss > 0;
	return v->ok ? 0 : -1;
}

static json_t *
v8_json(const struct v8_mem *v)
{
	json_t	*o;

	if (!v->ok)
		return json_null();
	o = json_object();
	json_object_set_new(o, "heapTotal", json_u64(v->heap_total));
	json_object_set_new(o, "heapUsed", json_u64(v->heap_used));
	json_object_set_new(o, "external", json_u64(v->external));
	json_object_set_new(o, "arrayBuffers", json_u64(v->array_buffers));
	json_object_set_new(o, "rss", json_u64(v->rss));
	json_object_set_new(o, "heapSizeLimit", json_u64(v->heap_limit));
	return o;
}

json_t *
gc_result_json(const struct gc_result *r)
{
	json_t	*o = json_object();
	int64_t	 ob = gc_outside_v8(&r->v8_before);
	int64_t	 oa = gc_outside_v8(&r->v8_after);

	json_object_set_new(o, "pid", json_integer(r->pid));
	json_object_set_new(o, "runtime", gc_runtime_name(r->runtime) ?
	    json_string(gc_runtime_name(r->runtime)) : json_null());
	json_object_set_new(o, "start", json_u64(r->start));
	json_object_set_new(o, "ok", json_boolean(r->ok));
	json_object_set_new(o, "error", r->error[0] ? json_string(r->error) :
	    json_null());
	json_object_set_new(o, "rss_before", json_u64(r->rss_before));
	json_object_set_new(o, "rss_after", json_u64(r->rss_after));
	json_object_set_new(o, "pss_anon_before", json_u64(r->pss_anon_before));
	json_object_set_new(o, "pss_anon_after", json_u64(r->pss_anon_after));
	json_object_set_new(o, "v8_before", v8_json(&r->v8_before));
	json_object_set_new(o, "v8_after", v8_json(&r->v8_after));
	json_object_set_new(o, "outside_v8_before", ob < 0 ? json_null() :
	    json_integer(ob));
	json_object_set_new(o, "outside_v8_after", oa < 0 ? json_null() :
	    json_integer(oa));
	json_object_set_new(o, "heap_before",
	    hotspot_heap_json(&r->heap_before));
	json_object_set_new(o, "heap_after", hotspot_heap_json(&r->heap_after));
	ob = gc_outside_heap(r, false);
	oa = gc_outside_heap(r, true);
	json_object_set_new(o, "outside_heap_before", ob < 0 ? json_null() :
	    json_integer(ob));
	json_object_set_new(o, "outside_heap_after", oa < 0 ? json_null() :
	    json_integer(oa));
	json_object_set_new(o, "nmt", hotspot_nmt_json(&r->nmt));
	json_object_set_new(o, "inspector_was_open",
	    json_boolean(r->inspector_was_open));
	json_object_set_new(o, "signalled", json_boolean(r->signalled));
	json_object_set_new(o, "inspector_closed",
	    json_boolean(r->inspector_closed));
	json_object_set_new(o, "watching", json_boolean(r->watching));
	json_object_set_new(o, "cancelled", json_boolean(r->cancelled));
	json_object_set_new(o, "target_exited",
	    json_boolean(r->target_exited));
	json_object_set_new(o, "port", r->port ? json_integer(r->port) :
	    json_null());
	json_object_set_new(o, "address", r->addr[0] ? json_string(r->addr) :
	    json_null());
	json_object_set_new(o, "netns", r->netns[0] ? json_string(r->netns) :
	    json_null());
	json_object_set_new(o, "closer", r->closer[0] ?
	    json_string(r->closer) : json_null());
	json_object_set_new(o, "duration_ms", json_real(r->duration_ms));
	json_object_set_new(o, "note", r->note[0] ? json_string(r->note) :
	    json_null());
	return o;
}

static uint64_t
gu(json_t *o, const char *k)
{
	json_t	*v = json_object_get(o, k);

	return json_is_integer(v) ? (uint64_t)json_integer_value(v) :
	    UINT64_MAX;
}

static void
v8_from(json_t *o, struct v8_mem *v)
{
	memset(v, 0, sizeof *v);
	if (!json_is_object(o))
		return;
	v->heap_total = gu(o, "heapTotal");
	v->heap_used = gu(o, "heapUsed");
	v->external = gu(o, "external");
	v->array_buffers = gu(o, "arrayBuffers");
	v->rss = gu(o, "rss");
	v->heap_limit = gu(o, "heapSizeLimit");
	v->ok = true;
}

static void
str_from(json_t *o, const char *k, char *buf, size_t len)
{
	json_t	*e = json_object_get(o, k);

	if (json_is_string(e))
		snprintf(buf, len, "%s", json_string_value(e));
}

int
gc_result_from_json(json_t *o, struct gc_result *r)
{
	json_t	*e;

	memset(r, 0, sizeof *r);
	if (!json_is_object(o))
		return -1;
	r->pid = (int)json_integer_value(json_object_get(o, "pid"));
	e = json_object_get(o, "runtime");
	r->runtime = !json_is_string(e) ? GC_RT_UNKNOWN : strcmp(
	    json_string_value(e), "hotspot") == 0 ? GC_RT_HOTSPOT : strcmp(
	    json_string_value(e), "node") == 0 ? GC_RT_NODE : GC_RT_UNKNOWN;
	r->start = (unsigned long long)json_integer_value(json_object_get(o,
	    "start"));
	r->ok = json_is_true(json_object_get(o, "ok"));
	e = json_object_get(o, "error");
	if (json_is_string(e))
		snprintf(r->error, sizeof r->error, "%s", json_string_value(e));
	str_from(o, "note", r->note, sizeof r->note);
	str_from(o, "address", r->addr, sizeof r->addr);
	str_from(o, "netns", r->netns, sizeof r->netns);
	str_from(o, "closer", r->closer, sizeof r->closer);
	r->rss_before = gu(o, "rss_before");
	r->rss_after = gu(o, "rss_after");
	r->pss_anon_before = gu(o, "pss_anon_before");
	r->pss_anon_after = gu(o, "pss_anon_after");
	v8_from(json_object_get(o, "v8_before"), &r->v8_before);
	v8_from(json_object_get(o, "v8_after"), &r->v8_after);
	hotspot_heap_from_json(json_object_get(o, "heap_before"),
	    &r->heap_before);
	hotspot_heap_from_json(json_object_get(o, "heap_after"),
	    &r->heap_after);
	hotspot_nmt_from_json(json_object_get(o, "nmt"), &r->nmt);
	r->inspector_was_open = json_is_true(json_object_get(o,
	    "inspector_was_open"));
	r->inspector_closed = json_is_true(json_object_get(o,
	    "inspector_closed"));
	r->signalled = json_is_true(json_object_get(o, "signalled"));
	r->watching = json_is_true(json_object_get(o, "watching"));
	r->cancelled = json_is_true(json_object_get(o, "cancelled"));
	r->target_exited = json_is_true(json_object_get(o, "target_exited"));
	r->port = (int)json_integer_value(json_object_get(o, "port"));
	r->duration_ms = json_real_value(json_object_get(o, "duration_ms"));
	return 0;
}
