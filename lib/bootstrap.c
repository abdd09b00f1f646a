/* The lab GBA bootstrap store (see bootstrap.h). */
#include "lib/bootstrap.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "lib/keyfile.h"

#define FIELDS 5
#define STORE_MAX_OCTETS (64u << 20) /* a lab store; anything bigger is a mistake */

struct field {
	const char *p;
	size_t len;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Decimal Unix seconds, no sign, no overflow. */
static bool expiry_field(const struct field *f, int64_t *out)
{
	int64_t v = 0;
	if (f->len == 0 || f->len > 19)
		return false;
	for (size_t i = 0; i < f->len; i++) {
		char c = f->p[i];
		if (c < '0' || c > '9')
			return false;
		if (v > (INT64_MAX - (c - '0')) / 10)
			return false;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return true;
}

static enum bootstrap_err parse_fields(const struct field *f, struct bootstrap_entry *e)
{
	uint8_t btid_rand[GBA_RAND_LEN];
	const char *domain;
	size_t domain_len;

	if (f[0].len > GBA_BTID_MAX || !gba_btid_parse(f[0].p, f[0].len, btid_rand, &domain, &domain_len))
		return BOOTSTRAP_ERR_BTID;
	memcpy(e->btid, f[0].p, f[0].len);
	e->btid[f[0].len] = '\0';

	if (f[1].len == 0 || f[1].len >= sizeof e->impi)
		return BOOTSTRAP_ERR_IMPI;
	for (size_t i = 0; i < f[1].len; i++)
		if ((unsigned char)f[1].p[i] <= 0x20 || (unsigned char)f[1].p[i] >= 0x7f)
			return BOOTSTRAP_ERR_IMPI;
	memcpy(e->impi, f[1].p, f[1].len);
	e->impi[f[1].len] = '\0';

	if (!keyfile_hex(f[2].p, f[2].len, e->rand, GBA_RAND_LEN))
		return BOOTSTRAP_ERR_RAND;
	if (!keyfile_hex(f[3].p, f[3].len, e->ks, GBA_KS_LEN))
		return BOOTSTRAP_ERR_KS;
	if (!expiry_field(&f[4], &e->expiry))
		return BOOTSTRAP_ERR_EXPIRY;
	/* The B-TID names the bootstrap run: its RAND must be the stored one. */
	if (memcmp(btid_rand, e->rand, GBA_RAND_LEN) != 0)
		return BOOTSTRAP_ERR_BTID;
	return BOOTSTRAP_OK;
}

enum bootstrap_err bootstrap_parse_line(const char *line, size_t len, struct bootstrap_entry *e)
{
	struct field f[FIELDS];
	size_t n = 0, i = 0;

	memset(e, 0, sizeof *e);
	while (i < len && is_blank(line[i]))
		i++;
	if (i == len || line[i] == '#')
		return BOOTSTRAP_SKIP;
	while (i < len) {
		size_t start = i;
		while (i < len && !is_blank(line[i]))
			i++;
		if (n == FIELDS)
			return BOOTSTRAP_ERR_FIELDS;
		f[n++] = (struct field){ line + start, i - start };
		while (i < len && is_blank(line[i]))
			i++;
	}
	if (n != FIELDS)
		return BOOTSTRAP_ERR_FIELDS;
	enum bootstrap_err err = parse_fields(f, e);
	if (err != BOOTSTRAP_OK)
		OPENSSL_cleanse(e, sizeof *e);
	return err;
}

size_t bootstrap_format_line(const struct bootstrap_entry *e, char *out, size_t cap)
{
	if (e == NULL || out == NULL)
		return 0;
	size_t blen = strnlen(e->btid, sizeof e->btid);
	size_t ilen = strnlen(e->impi, sizeof e->impi);
	char expiry[24];
	int xlen = snprintf(expiry, sizeof expiry, "%" PRId64, e->expiry);
	if (blen == sizeof e->btid || ilen == sizeof e->impi || xlen < 0)
		return 0;
	size_t need = blen + 1 + ilen + 1 + 2 * GBA_RAND_LEN + 1 + 2 * GBA_KS_LEN + 1 + (size_t)xlen + 1;
	if (need + 1 > cap)
		return 0;
	size_t o = 0;
	memcpy(out + o, e->btid, blen);
	o += blen;
	out[o++] = ' ';
	memcpy(out + o, e->impi, ilen);
	o += ilen;
	out[o++] = ' ';
	keyfile_hex_out(e->rand, GBA_RAND_LEN, out + o);
	o += 2 * GBA_RAND_LEN;
	out[o++] = ' ';
	keyfile_hex_out(e->ks, GBA_KS_LEN, out + o);
	o += 2 * GBA_KS_LEN;
	out[o++] = ' ';
	memcpy(out + o, expiry, (size_t)xlen);
	o += (size_t)xlen;
	out[o++] = '\n';
	out[o] = '\0';
	return o;
}

static int compare(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

struct sort_item {
	struct bootstrap_entry *e;
	size_t line;
};

static int sort_cmp(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	int c = strcmp(x->e->btid, y->e->btid);
	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static enum bootstrap_err read_store(const char *path, char **out, size_t *out_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return BOOTSTRAP_ERR_IO;
	struct stat st;
	enum bootstrap_err err = BOOTSTRAP_OK;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		err = BOOTSTRAP_ERR_IO;
	else if (st.st_mode & 0007)
		err = BOOTSTRAP_ERR_MODE;
	else if (keyfile_read(fd, STORE_MAX_OCTETS, out, out_len) != 0)
		err = BOOTSTRAP_ERR_IO;
	close(fd);
	return err;
}

static void entries_free(struct bootstrap_entry *e, size_t n)
{
	if (e != NULL)
		OPENSSL_clear_free(e, n * sizeof *e);
}

enum bootstrap_err bootstrap_load(const char *path, struct bootstrap_store *s, size_t *line_no)
{
	char *buf = NULL;
	size_t len = 0, n = 0, cap = 0, line = 0, err_line = 0;
	struct bootstrap_entry *e = NULL, *sorted = NULL;
	struct sort_item *items = NULL;
	enum bootstrap_err err;

	s->e = NULL;
	s->n = 0;
	if (line_no != NULL)
		*line_no = 0;
	err = read_store(path, &buf, &len);
	if (err != BOOTSTRAP_OK)
		return err;

	size_t *lines = NULL;
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t llen = nl != NULL ? (size_t)(nl - (buf + off)) : len - off;
		line++;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct bootstrap_entry *ne = calloc(ncap, sizeof *ne);
			size_t *nlines = calloc(ncap, sizeof *nlines);
			if (ne == NULL || nlines == NULL) {
				free(ne);
				free(nlines);
				err = BOOTSTRAP_ERR_IO;
				err_line = line;
				goto out;
			}
			if (n > 0) {
				memcpy(ne, e, n * sizeof *e);
				memcpy(nlines, lines, n * sizeof *lines);
			}
			entries_free(e, cap);
			free(lines);
			e = ne;
			lines = nlines;
			cap = ncap;
		}
		err = bootstrap_parse_line(buf + off, llen, &e[n]);
		if (err == BOOTSTRAP_OK) {
			lines[n++] = line;
		} else if (err != BOOTSTRAP_SKIP) {
			err_line = line;
			goto out;
		}
		off += llen + (nl != NULL);
	}
	err = BOOTSTRAP_OK;
	if (n == 0)
		goto out;

	items = calloc(n, sizeof *items);
	sorted = calloc(n, sizeof *sorted);
	if (items == NULL || sorted == NULL) {
		err = BOOTSTRAP_ERR_IO;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		items[i] = (struct sort_item){ &e[i], lines[i] };
	qsort(items, n, sizeof *items, sort_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(items[i - 1].e->btid, items[i].e->btid) == 0) {
			err = BOOTSTRAP_ERR_DUPLICATE;
			err_line = items[i].line;
			goto out;
		}
		sorted[i] = *items[i].e;
	}
	s->e = sorted;
	s->n = n;
	sorted = NULL;
out:
	if (err != BOOTSTRAP_OK && line_no != NULL)
		*line_no = err_line;
	entries_free(sorted, n);
	entries_free(e, cap);
	free(lines);
	free(items);
	if (buf != NULL)
		OPENSSL_clear_free(buf, len + 1);
	return err;
}

const struct bootstrap_entry *bootstrap_find(const struct bootstrap_store *s, const char *btid, size_t len)
{
	if (s == NULL || btid == NULL)
		return NULL;
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct bootstrap_entry *m = &s->e[mid];
		int c = compare(btid, len, m->btid, strlen(m->btid));
		if (c == 0)
			return m;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void bootstrap_free(struct bootstrap_store *s)
{
	if (s == NULL)
		return;
	entries_free(s->e, s->n);
	s->e = NULL;
	s->n = 0;
}

const char *bootstrap_err_str(enum bootstrap_err e)
{
	switch (e) {
	case BOOTSTRAP_OK: return "ok";
	case BOOTSTRAP_SKIP: return "blank or comment";
	case BOOTSTRAP_ERR_FIELDS: return "not exactly five fields (B-TID IMPI RAND Ks expiry)";
	case BOOTSTRAP_ERR_BTID: return "invalid B-TID, or its RAND differs from the RAND field";
	case BOOTSTRAP_ERR_IMPI: return "invalid IMPI (empty, too long or not printable)";
	case BOOTSTRAP_ERR_RAND: return "RAND is not 32 hex digits";
	case BOOTSTRAP_ERR_KS: return "Ks is not 64 hex digits";
	case BOOTSTRAP_ERR_EXPIRY: return "expiry is not a decimal Unix time";
	case BOOTSTRAP_ERR_DUPLICATE: return "duplicate B-TID";
	case BOOTSTRAP_ERR_IO: return "cannot read the file";
	case BOOTSTRAP_ERR_MODE: return "file is accessible by other users (chmod o-rwx)";
	}
	return "unknown error";
}
