/* HTTP Digest header fields (see digest_hdr.h). */
#include "lib/digest_hdr.h"

#include <string.h>
#include <strings.h>

static const char *const digest_names[DIGEST_F_N] = {
	[DIGEST_USERNAME] = "username", [DIGEST_REALM] = "realm",	  [DIGEST_NONCE] = "nonce",
	[DIGEST_URI] = "uri",		[DIGEST_RESPONSE] = "response",	  [DIGEST_ALGORITHM] = "algorithm",
	[DIGEST_CNONCE] = "cnonce",	[DIGEST_OPAQUE] = "opaque",	  [DIGEST_QOP] = "qop",
	[DIGEST_NC] = "nc",		[DIGEST_AUTS] = "auts",		  [DIGEST_STALE] = "stale",
	[DIGEST_RSPAUTH] = "rspauth",	[DIGEST_NEXTNONCE] = "nextnonce", [DIGEST_DOMAIN] = "domain",
};

/* Written as tokens (RFC 2617 §3.2.1, §3.2.2, §3.2.3); every other directive
 * is a quoted-string.  qop is a token except in a challenge, where it is the
 * quoted list qop-options. */
static bool digest_token_field(enum digest_field f, enum digest_hdr_kind kind)
{
	return f == DIGEST_ALGORITHM || f == DIGEST_NC || f == DIGEST_STALE ||
	       (f == DIGEST_QOP && kind != DIGEST_HDR_CHALLENGE);
}

const char *digest_field_name(enum digest_field f)
{
	return (unsigned)f < DIGEST_F_N ? digest_names[f] : "?";
}

const char *digest_hdr_err_str(enum digest_hdr_err e)
{
	switch (e) {
	case DIGEST_HDR_OK: return "ok";
	case DIGEST_HDR_ERR_TOO_LONG: return "too-long";
	case DIGEST_HDR_ERR_SCHEME: return "scheme";
	case DIGEST_HDR_ERR_SYNTAX: return "syntax";
	case DIGEST_HDR_ERR_CHAR: return "bad-character";
	case DIGEST_HDR_ERR_DUPLICATE: return "duplicate";
	case DIGEST_HDR_ERR_VALUE_TOO_LONG: return "value-too-long";
	case DIGEST_HDR_ERR_TOO_MANY: return "too-many";
	case DIGEST_HDR_ERR_EMPTY: return "empty";
	}
	return "?";
}

/* RFC 7230 §3.2.6 tchar. */
static bool is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Printable ASCII and HTAB: what a quoted-string may carry here. */
static bool is_qchar(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c < 0x7f);
}

const char *digest_get(const struct digest_params *p, enum digest_field f)
{
	return (unsigned)f < DIGEST_F_N && (p->present & (1u << f)) ? p->v[f] : NULL;
}

bool digest_set(struct digest_params *p, enum digest_field f, const char *value)
{
	size_t len = strnlen(value, DIGEST_VALUE_MAX + 1);
	if ((unsigned)f >= DIGEST_F_N || len > DIGEST_VALUE_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_qchar((unsigned char)value[i]))
			return false;
	memcpy(p->v[f], value, len + 1);
	p->len[f] = (uint16_t)len;
	p->present |= 1u << f;
	return true;
}

static int digest_lookup(const char *name, size_t len)
{
	for (int f = 0; f < DIGEST_F_N; f++)
		if (strlen(digest_names[f]) == len && strncasecmp(digest_names[f], name, len) == 0)
			return f;
	return -1;
}

struct digest_cursor {
	const char *s;
	size_t len, i;
};

static void skip_ows(struct digest_cursor *c)
{
	while (c->i < c->len && is_ows((unsigned char)c->s[c->i]))
		c->i++;
}

/* A token or quoted-string value into out (NULL: check only). */
static enum digest_hdr_err read_value(struct digest_cursor *c, char *out, size_t *out_len)
{
	size_t n = 0;
	if (c->i < c->len && c->s[c->i] == '"') {
		c->i++;
		for (;;) {
			if (c->i >= c->len)
				return DIGEST_HDR_ERR_SYNTAX;
			unsigned char ch = (unsigned char)c->s[c->i++];
			if (ch == '"')
				break;
			if (ch == '\\') {
				if (c->i >= c->len)
					return DIGEST_HDR_ERR_SYNTAX;
				ch = (unsigned char)c->s[c->i++];
			}
			if (!is_qchar(ch))
				return DIGEST_HDR_ERR_CHAR;
			if (n >= DIGEST_VALUE_MAX)
				return DIGEST_HDR_ERR_VALUE_TOO_LONG;
			if (out)
				out[n] = (char)ch;
			n++;
		}
	} else {
		while (c->i < c->len && is_tchar((unsigned char)c->s[c->i])) {
			if (n >= DIGEST_VALUE_MAX)
				return DIGEST_HDR_ERR_VALUE_TOO_LONG;
			if (out)
				out[n] = c->s[c->i];
			n++;
			c->i++;
		}
		if (n == 0)
			return DIGEST_HDR_ERR_SYNTAX;
	}
	if (out)
		out[n] = '\0';
	*out_len = n;
	return DIGEST_HDR_OK;
}

static enum digest_hdr_err parse(const char *s, size_t len, enum digest_hdr_kind kind, struct digest_params *p)
{
	struct digest_cursor c = { s, len, 0 };
	unsigned elements = 0;

	if (s == NULL || len > DIGEST_HDR_MAX)
		return DIGEST_HDR_ERR_TOO_LONG;
	for (size_t i = 0; i < len; i++)
		if (!is_qchar((unsigned char)s[i]))
			return DIGEST_HDR_ERR_CHAR;
	skip_ows(&c);
	if (kind != DIGEST_HDR_INFO) {
		size_t start = c.i;
		while (c.i < c.len && is_tchar((unsigned char)s[c.i]))
			c.i++;
		if (c.i - start != 6 || strncasecmp(s + start, "Digest", 6) != 0)
			return DIGEST_HDR_ERR_SCHEME;
		if (c.i < c.len && !is_ows((unsigned char)s[c.i]))
			return DIGEST_HDR_ERR_SCHEME;
		skip_ows(&c);
	}
	while (c.i < c.len) {
		if (++elements > DIGEST_MAX_PARAMS)
			return DIGEST_HDR_ERR_TOO_MANY;
		if (s[c.i] == ',') {
			c.i++;
			skip_ows(&c);
			continue;
		}
		size_t name = c.i;
		while (c.i < c.len && is_tchar((unsigned char)s[c.i]))
			c.i++;
		size_t name_len = c.i - name;
		if (name_len == 0)
			return DIGEST_HDR_ERR_SYNTAX;
		skip_ows(&c);
		if (c.i >= c.len || s[c.i] != '=')
			return DIGEST_HDR_ERR_SYNTAX;
		c.i++;
		skip_ows(&c);
		int f = digest_lookup(s + name, name_len);
		if (f >= 0 && (p->present & (1u << f)))
			return DIGEST_HDR_ERR_DUPLICATE;
		size_t vlen;
		enum digest_hdr_err e = read_value(&c, f >= 0 ? p->v[f] : NULL, &vlen);
		if (e != DIGEST_HDR_OK)
			return e;
		if (f >= 0) {
			p->present |= 1u << f;
			p->len[f] = (uint16_t)vlen;
		}
		skip_ows(&c);
		if (c.i < c.len) {
			if (s[c.i] != ',')
				return DIGEST_HDR_ERR_SYNTAX;
			c.i++;
			skip_ows(&c);
		}
	}
	return elements == 0 ? DIGEST_HDR_ERR_EMPTY : DIGEST_HDR_OK;
}

enum digest_hdr_err digest_hdr_parse(const char *s, size_t len, enum digest_hdr_kind kind,
                                     struct digest_params *p)
{
	memset(p, 0, sizeof *p);
	enum digest_hdr_err e = parse(s, len, kind, p);
	if (e != DIGEST_HDR_OK)
		memset(p, 0, sizeof *p);
	return e;
}

struct digest_out {
	char *p;
	size_t cap, n;
	bool ok;
};

static void put(struct digest_out *o, const char *s, size_t len)
{
	if (!o->ok || o->n + len + 1 > o->cap) {
		o->ok = false;
		return;
	}
	memcpy(o->p + o->n, s, len);
	o->n += len;
	o->p[o->n] = '\0';
}

size_t digest_hdr_format(const struct digest_params *p, enum digest_hdr_kind kind, char *out, size_t cap)
{
	struct digest_out o = { out, cap, 0, out != NULL && cap > 0 };
	bool first = true;

	if (kind != DIGEST_HDR_INFO)
		put(&o, "Digest ", 7);
	for (int f = 0; f < DIGEST_F_N; f++) {
		const char *v = digest_get(p, (enum digest_field)f);
		if (v == NULL)
			continue;
		if (!first)
			put(&o, ", ", 2);
		first = false;
		put(&o, digest_names[f], strlen(digest_names[f]));
		put(&o, "=", 1);
		if (digest_token_field((enum digest_field)f, kind)) {
			if (p->len[f] == 0)
				return 0;
			for (size_t i = 0; i < p->len[f]; i++)
				if (!is_tchar((unsigned char)v[i]))
					return 0;
			put(&o, v, p->len[f]);
			continue;
		}
		put(&o, "\"", 1);
		for (size_t i = 0; i < p->len[f]; i++) {
			if (v[i] == '"' || v[i] == '\\')
				put(&o, "\\", 1);
			put(&o, v + i, 1);
		}
		put(&o, "\"", 1);
	}
	return o.ok ? o.n : 0;
}
