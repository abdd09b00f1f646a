#include "mip4-ha/bindings_json.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/auth.h"
#include "lib/log.h"

struct bindings_json {
	const struct sa_table *sas;
	bindings_json_extra_fn extra;
	void *extra_arg;
	struct textbuf *out;
	uint32_t now;
	const char *sep;
	uint32_t last;
	int rc;
};

static void bindings_json_one(const struct binding *b, void *arg)
{
	struct bindings_json *o = arg;
	char h[LOG_IPV4_MAX], c[LOG_IPV4_MAX];
	const struct sa *s = sa_find(o->sas, b->home_addr);
	log_ipv4(h, b->home_addr);
	log_ipv4(c, b->coa);
	o->rc |= textbuf_printf(o->out,
		"%s{\"home_address\":\"%s\",\"care_of_address\":\"%s\",\"lifetime_granted\":%u,"
		"\"lifetime_left\":%u,\"code\":%u,\"identification\":\"%016llx\"",
		o->sep, h, c, b->granted, b->entry.timer.at > o->now ? b->entry.timer.at - o->now : 0, b->code,
		(unsigned long long)b->ident);
	if (s)
		o->rc |= textbuf_printf(o->out, ",\"spi\":%u,\"algorithm\":\"%s\",\"sa\":\"%s\"", s->spi,
		                         auth_alg_name((enum auth_alg)s->alg),
		                         s->is_static ? "static" : s->from_zn ? "zn" : "aaa");
	if (o->extra)
		o->rc |= o->extra(b->home_addr, b->flags, o->out, o->extra_arg);
	o->rc |= textbuf_printf(o->out, "}");
	o->sep = ",\n";
	o->last = b->home_addr;
}

int bindings_json_page(const char *args, const struct binding_table *b, const struct sa_table *s, uint32_t now,
                       bindings_json_extra_fn extra, void *extra_arg, struct textbuf *out)
{
	size_t limit = BINDINGS_PAGE_MAX;
	bool has_after = false;
	struct in_addr after = { 0 };
	char buf[128];
	if (strlen(args) >= sizeof buf)
		return textbuf_printf(out, "error: bindings: arguments too long\n");
	strcpy(buf, args);
	char *save = NULL;
	for (char *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		char *v = strtok_r(NULL, " \t", &save), *end;
		if (!v)
			return textbuf_printf(out, "error: bindings: '%s' needs a value\n", w);
		if (strcmp(w, "limit") == 0) {
			errno = 0;
			unsigned long n = strtoul(v, &end, 10);
			if (errno || *end || n == 0 || n > BINDINGS_PAGE_MAX || v[0] == '-')
				return textbuf_printf(out, "error: bindings: limit must be 1..%d\n", BINDINGS_PAGE_MAX);
			limit = n;
		} else if (strcmp(w, "after") == 0) {
			if (inet_pton(AF_INET, v, &after) != 1)
				return textbuf_printf(out, "error: bindings: after: '%s' is not an IPv4 address\n", v);
			has_after = true;
		} else {
			return textbuf_printf(out, "error: bindings: unknown argument '%s' (limit N, after ADDRESS)\n", w);
		}
	}
	struct bindings_json o = { s, extra, extra_arg, out, now, "\n", 0, 0 };
	bool more = false;
	o.rc |= textbuf_printf(out, "{\"bindings\":[");
	size_t n = binding_page(b, has_after, after.s_addr, limit, bindings_json_one, &o, &more);
	o.rc |= textbuf_printf(out, "%s],\"count\":%zu,\"total\":%zu", n ? "\n" : "", n, b->tab.count);
	if (more) {
		char a[LOG_IPV4_MAX];
		log_ipv4(a, o.last);
		o.rc |= textbuf_printf(out, ",\"next\":\"%s\"", a);
	}
	o.rc |= textbuf_printf(out, "}\n");
	return o.rc;
}
