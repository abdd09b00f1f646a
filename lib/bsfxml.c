/* The BootstrappingInfo document (see bsfxml.h). */
#include "lib/bsfxml.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const char *bsfxml_err_str(enum bsfxml_err e)
{
	switch (e) {
	case BSFXML_OK: return "ok";
	case BSFXML_ERR_TOO_LONG: return "too-long";
	case BSFXML_ERR_DECL: return "xml-declaration";
	case BSFXML_ERR_ROOT: return "root-element";
	case BSFXML_ERR_BTID: return "btid";
	case BSFXML_ERR_LIFETIME: return "lifetime";
	case BSFXML_ERR_SYNTAX: return "syntax";
	}
	return "?";
}

size_t bsfxml_write(const char *btid, int64_t lifetime, char *out, size_t cap)
{
	char esc[sizeof ((struct bsfxml_info *)0)->btid * 6];
	size_t n = 0;
	time_t t = (time_t)lifetime;
	struct tm tm;

	if (btid == NULL || strlen(btid) == 0 || strlen(btid) >= sizeof ((struct bsfxml_info *)0)->btid ||
	    gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 1)
		return 0;
	for (const char *p = btid; *p; p++) {
		const char *e = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : NULL;
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return 0;
		if (e) {
			memcpy(esc + n, e, strlen(e));
			n += strlen(e);
		} else {
			esc[n++] = *p;
		}
	}
	esc[n] = '\0';
	int len = snprintf(out, cap,
	                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                   "<BootstrappingInfo xmlns=\"uri:3gpp-gba\">\n"
	                   "  <btid>%s</btid>\n"
	                   "  <lifetime>%04d-%02d-%02dT%02d:%02d:%02dZ</lifetime>\n"
	                   "</BootstrappingInfo>\n",
	                   esc, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return len > 0 && (size_t)len < cap ? (size_t)len : 0;
}

struct bsfxml_cursor {
	const char *s;
	size_t len, i;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void skip_space(struct bsfxml_cursor *c)
{
	while (c->i < c->len && is_space(c->s[c->i]))
		c->i++;
}

static bool take(struct bsfxml_cursor *c, const char *lit)
{
	size_t n = strlen(lit);
	if (c->len - c->i < n || memcmp(c->s + c->i, lit, n) != 0)
		return false;
	c->i += n;
	return true;
}

/* An attribute value in either quote, into out[cap]. */
static bool attr_value(struct bsfxml_cursor *c, char *out, size_t cap)
{
	if (c->i >= c->len || (c->s[c->i] != '"' && c->s[c->i] != '\''))
		return false;
	char q = c->s[c->i++];
	size_t n = 0;
	while (c->i < c->len && c->s[c->i] != q) {
		if (n + 1 >= cap || c->s[c->i] == '<' || c->s[c->i] == '&')
			return false;
		out[n++] = c->s[c->i++];
	}
	if (c->i >= c->len)
		return false;
	c->i++;
	out[n] = '\0';
	return true;
}

/* name S? = S? value */
static bool attribute(struct bsfxml_cursor *c, const char *name, char *out, size_t cap)
{
	if (!take(c, name))
		return false;
	skip_space(c);
	if (!take(c, "="))
		return false;
	skip_space(c);
	return attr_value(c, out, cap);
}

static enum bsfxml_err xml_decl(struct bsfxml_cursor *c)
{
	char v[16];
	if (!take(c, "<?xml"))
		return BSFXML_OK;
	size_t before = c->i;
	skip_space(c);
	if (c->i == before || !attribute(c, "version", v, sizeof v) || strcmp(v, "1.0") != 0)
		return BSFXML_ERR_DECL;
	before = c->i;
	skip_space(c);
	if (c->i > before && c->i < c->len && c->s[c->i] == 'e') {
		if (!attribute(c, "encoding", v, sizeof v) || strcasecmp(v, "UTF-8") != 0)
			return BSFXML_ERR_DECL;
		before = c->i;
		skip_space(c);
	}
	if (c->i > before && c->i < c->len && c->s[c->i] == 's') {
		if (!attribute(c, "standalone", v, sizeof v) || (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0))
			return BSFXML_ERR_DECL;
		skip_space(c);
	}
	return take(c, "?>") ? BSFXML_OK : BSFXML_ERR_DECL;
}

/* Character data up to '<', entities decoded, into out[cap]. */
static bool text(struct bsfxml_cursor *c, char *out, size_t cap, size_t *out_len)
{
	static const struct {
		const char *ent;
		char ch;
	} ents[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' } };
	size_t n = 0;
	while (c->i < c->len && c->s[c->i] != '<') {
		char ch = c->s[c->i];
		if (ch == '&') {
			size_t e = 0;
			while (e < sizeof ents / sizeof ents[0] && !take(c, ents[e].ent))
				e++;
			if (e == sizeof ents / sizeof ents[0])
				return false;
			ch = ents[e].ch;
		} else {
			if ((unsigned char)ch < 0x20 && !is_space(ch))
				return false;
			c->i++;
		}
		if (n + 1 >= cap)
			return false;
		out[n++] = ch;
	}
	out[n] = '\0';
	*out_len = n;
	return true;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* xs:dateTime with a time zone: YYYY-MM-DDThh:mm:ss[.f+](Z|(+|-)hh:mm). */
static bool datetime(const char *s, size_t len, int64_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return false;
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2), h = digits(s + 11, 2),
	    mi = digits(s + 14, 2), se = digits(s + 17, 2);
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    se < 0 || se > 59)
		return false;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return false;
	size_t i = 19;
	if (i < len && s[i] == '.') {
		i++;
		size_t f = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == f)
			return false;
	}
	int offset = 0;
	if (i + 1 == len && s[i] == 'Z') {
		offset = 0;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
		int oh = digits(s + i + 1, 2), om = digits(s + i + 4, 2);
		if (oh < 0 || oh > 14 || om < 0 || om > 59)
			return false;
		offset = (oh * 60 + om) * 60 * (s[i] == '+' ? 1 : -1);
	} else {
		return false;
	}
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = se };
	*out = (int64_t)timegm(&tm) - offset;
	return true;
}

/* <name>text</name> */
static enum bsfxml_err element(struct bsfxml_cursor *c, const char *name, char *out, size_t cap, size_t *len,
                               enum bsfxml_err err)
{
	char open[32], close[32];
	snprintf(open, sizeof open, "<%s>", name);
	snprintf(close, sizeof close, "</%s>", name);
	if (!take(c, open))
		return err;
	if (!text(c, out, cap, len) || !take(c, close))
		return err;
	return BSFXML_OK;
}

enum bsfxml_err bsfxml_read(const char *doc, size_t len, struct bsfxml_info *out)
{
	struct bsfxml_cursor c = { doc, len, 0 };
	char ns[32], buf[64];
	size_t n;
	enum bsfxml_err e;

	memset(out, 0, sizeof *out);
	if (doc == NULL || len > BSFXML_MAX)
		return BSFXML_ERR_TOO_LONG;
	if ((e = xml_decl(&c)) != BSFXML_OK)
		return e;
	skip_space(&c);
	if (!take(&c, "<BootstrappingInfo"))
		return BSFXML_ERR_ROOT;
	size_t before = c.i;
	skip_space(&c);
	if (c.i == before || !attribute(&c, "xmlns", ns, sizeof ns) || strcmp(ns, "uri:3gpp-gba") != 0)
		return BSFXML_ERR_ROOT;
	skip_space(&c);
	if (!take(&c, ">"))
		return BSFXML_ERR_ROOT;
	skip_space(&c);
	if ((e = element(&c, "btid", out->btid, sizeof out->btid, &n, BSFXML_ERR_BTID)) != BSFXML_OK)
		return e;
	if (n == 0)
		return BSFXML_ERR_BTID;
	skip_space(&c);
	if (c.len - c.i >= 10 && memcmp(c.s + c.i, "<lifetime>", 10) == 0) {
		if ((e = element(&c, "lifetime", buf, sizeof buf, &n, BSFXML_ERR_LIFETIME)) != BSFXML_OK)
			return e;
		if (!datetime(buf, n, &out->lifetime))
			return BSFXML_ERR_LIFETIME;
		out->has_lifetime = true;
		skip_space(&c);
	}
	if (!take(&c, "</BootstrappingInfo>"))
		return BSFXML_ERR_SYNTAX;
	skip_space(&c);
	return c.i == c.len ? BSFXML_OK : BSFXML_ERR_SYNTAX;
}
