/* The lab subscriber file (see subscriber.h). */
#include "lib/subscriber.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "lib/keyfile.h"
#include "lib/milenage.h"

#define SQN_DIGITS 12
#define SEQ_MS_CHARS (AKA_IND_N * (SQN_DIGITS + 1) - 1)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool hex_u64(const char *p, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (len != SQN_DIGITS)
		return false;
	for (size_t i = 0; i < len; i++) {
		int d = OPENSSL_hexchar2int((unsigned char)p[i]);
		if (d < 0)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static bool seq_ms_field(const char *p, size_t len, struct aka_usim *u)
{
	if (len != SEQ_MS_CHARS)
		return false;
	for (unsigned i = 0; i < AKA_IND_N; i++) {
		const char *v = p + i * (SQN_DIGITS + 1);
		if (i + 1 < AKA_IND_N && v[SQN_DIGITS] != ',')
			return false;
		if (!hex_u64(v, SQN_DIGITS, AKA_SEQ_MAX, &u->seq_ms[i]))
			return false;
	}
	return true;
}

static enum subscriber_err parse_field(const char *t, size_t len, size_t at, struct subscriber *s,
                                       unsigned *seen, uint8_t op[16], bool *has_op)
{
	static const char *const names[] = { "k", "op", "opc", "amf", "sqn", "seq-ms" };
	const char *eq = memchr(t, '=', len);
	if (eq == NULL)
		return SUBSCRIBER_ERR_FIELD;
	size_t nlen = (size_t)(eq - t), vlen = len - nlen - 1;
	const char *v = eq + 1;
	unsigned f = 0;
	while (f < sizeof names / sizeof names[0] && (strlen(names[f]) != nlen || memcmp(names[f], t, nlen) != 0))
		f++;
	if (f == sizeof names / sizeof names[0] || (*seen & (1u << f)))
		return SUBSCRIBER_ERR_FIELD;
	*seen |= 1u << f;
	switch (f) {
	case 0:
		return keyfile_hex(v, vlen, s->k, 16) ? SUBSCRIBER_OK : SUBSCRIBER_ERR_K;
	case 1:
		*has_op = true;
		return keyfile_hex(v, vlen, op, 16) ? SUBSCRIBER_OK : SUBSCRIBER_ERR_OP;
	case 2:
		return keyfile_hex(v, vlen, s->opc, 16) ? SUBSCRIBER_OK : SUBSCRIBER_ERR_OP;
	case 3:
		s->has_amf = true;
		return keyfile_hex(v, vlen, s->amf, AKA_AMF_LEN) ? SUBSCRIBER_OK : SUBSCRIBER_ERR_AMF;
	case 4:
		s->sqn_off = (off_t)(at + nlen + 1);
		return hex_u64(v, vlen, AKA_SQN_MAX, &s->sqn) ? SUBSCRIBER_OK : SUBSCRIBER_ERR_SQN;
	default:
		s->seq_ms_off = (off_t)(at + nlen + 1);
		return seq_ms_field(v, vlen, &s->usim) ? SUBSCRIBER_OK : SUBSCRIBER_ERR_SEQ_MS;
	}
}

enum subscriber_err subscriber_parse_line(const char *line, size_t len, struct subscriber *s)
{
	uint8_t op[16];
	bool has_op = false;
	unsigned seen = 0;
	size_t i = 0;
	enum subscriber_err err = SUBSCRIBER_OK;

	memset(s, 0, sizeof *s);
	s->sqn_off = s->seq_ms_off = -1;
	while (i < len && is_blank(line[i]))
		i++;
	if (i == len || line[i] == '#')
		return SUBSCRIBER_SKIP;
	size_t start = i;
	while (i < len && !is_blank(line[i]))
		i++;
	size_t ilen = i - start;
	if (ilen == 0 || ilen > SUBSCRIBER_IMPI_MAX || memchr(line + start, '=', ilen) != NULL)
		return SUBSCRIBER_ERR_IMPI;
	for (size_t j = start; j < i; j++)
		if ((unsigned char)line[j] <= 0x20 || (unsigned char)line[j] >= 0x7f)
			return SUBSCRIBER_ERR_IMPI;
	memcpy(s->impi, line + start, ilen);
	while (err == SUBSCRIBER_OK) {
		while (i < len && is_blank(line[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !is_blank(line[i]))
			i++;
		err = parse_field(line + start, i - start, start, s, &seen, op, &has_op);
	}
	if (err == SUBSCRIBER_OK && !(seen & 1u))
		err = SUBSCRIBER_ERR_K;
	if (err == SUBSCRIBER_OK && ((seen >> 1) & 3u) != 1u && ((seen >> 1) & 3u) != 2u)
		err = SUBSCRIBER_ERR_OP;
	if (err == SUBSCRIBER_OK && has_op && milenage_opc(s->k, op, s->opc) != 0)
		err = SUBSCRIBER_ERR_OP;
	OPENSSL_cleanse(op, sizeof op);
	if (err != SUBSCRIBER_OK)
		OPENSSL_cleanse(s, sizeof *s);
	return err;
}

static int by_impi(const void *a, const void *b)
{
	return strcmp((*(struct subscriber *const *)a)->impi, (*(struct subscriber *const *)b)->impi);
}

/* Parse every line of buf; *missing counts subscribers without the role's field. */
static enum subscriber_err parse_all(const char *buf, size_t len, struct subscriber_file *f, size_t *missing,
                                     size_t *line_no)
{
	size_t cap = 0, line = 0;
	*missing = 0;
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t llen = nl != NULL ? (size_t)(nl - (buf + off)) : len - off;
		struct subscriber s;
		line++;
		enum subscriber_err err = subscriber_parse_line(buf + off, llen, &s);
		if (err == SUBSCRIBER_OK) {
			if (f->n == cap) {
				size_t ncap = cap ? cap * 2 : 16;
				struct subscriber *ns = calloc(ncap, sizeof *ns);
				if (ns == NULL) {
					OPENSSL_cleanse(&s, sizeof s);
					return SUBSCRIBER_ERR_IO;
				}
				if (f->n)
					memcpy(ns, f->s, f->n * sizeof *ns);
				if (f->s)
					OPENSSL_clear_free(f->s, cap * sizeof *f->s);
				f->s = ns;
				cap = ncap;
			}
			if (s.sqn_off >= 0)
				s.sqn_off += (off_t)off;
			if (s.seq_ms_off >= 0)
				s.seq_ms_off += (off_t)off;
			if ((f->role == SUBSCRIBER_HSS ? s.sqn_off : s.seq_ms_off) < 0)
				(*missing)++;
			f->s[f->n++] = s;
			OPENSSL_cleanse(&s, sizeof s);
		} else if (err != SUBSCRIBER_SKIP) {
			*line_no = line;
			return err;
		}
		off += llen + (nl != NULL);
	}
	if (f->n == 0)
		return SUBSCRIBER_ERR_EMPTY;
	return SUBSCRIBER_OK;
}

static void format_state(const struct subscriber *s, enum subscriber_role role, char *out)
{
	if (role == SUBSCRIBER_HSS) {
		snprintf(out, SQN_DIGITS + 1, "%012" PRIx64, s->sqn);
		return;
	}
	for (unsigned i = 0; i < AKA_IND_N; i++)
		snprintf(out + i * (SQN_DIGITS + 1), SQN_DIGITS + 2, "%012" PRIx64 "%s", s->usim.seq_ms[i],
		         i + 1 < AKA_IND_N ? "," : "");
}

/* buf with the role's zero state appended to every subscriber line lacking
 * it.  NULL on allocation failure. */
static char *normalise(const char *buf, size_t len, enum subscriber_role role, size_t missing, size_t *out_len)
{
	const char *name = role == SUBSCRIBER_HSS ? " sqn=" : " seq-ms=";
	size_t add = strlen(name) + (role == SUBSCRIBER_HSS ? SQN_DIGITS : SEQ_MS_CHARS);
	struct subscriber zero;
	char state[SEQ_MS_CHARS + 2];
	char *out = malloc(len + missing * (add + 1) + 2);
	size_t o = 0;

	if (out == NULL)
		return NULL;
	memset(&zero, 0, sizeof zero);
	format_state(&zero, role, state);
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t llen = nl != NULL ? (size_t)(nl - (buf + off)) : len - off;
		struct subscriber s;
		bool append = subscriber_parse_line(buf + off, llen, &s) == SUBSCRIBER_OK &&
		              (role == SUBSCRIBER_HSS ? s.sqn_off : s.seq_ms_off) < 0;
		OPENSSL_cleanse(&s, sizeof s);
		size_t keep = llen;
		while (append && keep > 0 && is_blank(buf[off + keep - 1]))
			keep--;
		memcpy(out + o, buf + off, keep);
		o += keep;
		if (append) {
			memcpy(out + o, name, strlen(name));
			o += strlen(name);
			memcpy(out + o, state, add - strlen(name));
			o += add - strlen(name);
		}
		if (nl != NULL || append)
			out[o++] = '\n';
		off += llen + (nl != NULL);
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Replace path by content: a locked temporary file beside it, fsync, rename,
 * fsync of the directory.  Returns the new file's locked descriptor, or -1. */
static int replace_file(const char *path, const char *content, size_t len)
{
	char tmp[4096], dir[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.new", path) >= sizeof tmp || strlen(path) >= sizeof dir)
		return -1;
	int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0 || write_all(fd, content, len) != 0 || fsync(fd) != 0 ||
	    rename(tmp, path) != 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return -1;
	}
	strcpy(dir, path);
	int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return fd;
}

static void files_free(struct subscriber_file *f)
{
	if (f->s != NULL)
		OPENSSL_clear_free(f->s, f->n * sizeof *f->s);
	f->s = NULL;
	f->n = 0;
}

enum subscriber_err subscriber_open(const char *path, enum subscriber_role role, struct subscriber_file *f,
                                    size_t *line_no)
{
	char *buf = NULL, *norm = NULL;
	size_t len = 0, nlen = 0, missing = 0, dummy;
	struct stat st;
	enum subscriber_err err = SUBSCRIBER_ERR_IO;

	memset(f, 0, sizeof *f);
	f->fd = -1;
	f->role = role;
	if (line_no == NULL)
		line_no = &dummy;
	*line_no = 0;
	f->fd = open(path, O_RDWR | O_CLOEXEC);
	if (f->fd < 0 || fstat(f->fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto fail;
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		err = SUBSCRIBER_ERR_MODE;
		goto fail;
	}
	if (flock(f->fd, LOCK_EX | LOCK_NB) != 0) {
		err = errno == EWOULDBLOCK ? SUBSCRIBER_ERR_LOCKED : SUBSCRIBER_ERR_IO;
		goto fail;
	}
	if (keyfile_read(f->fd, SUBSCRIBER_MAX_OCTETS, &buf, &len) != 0)
		goto fail;
	err = parse_all(buf, len, f, &missing, line_no);
	if (err != SUBSCRIBER_OK)
		goto fail;
	if (missing > 0) {
		norm = normalise(buf, len, role, missing, &nlen);
		int nfd = norm ? replace_file(path, norm, nlen) : -1;
		err = SUBSCRIBER_ERR_IO;
		if (nfd < 0)
			goto fail;
		close(f->fd);
		f->fd = nfd;
		files_free(f);
		err = parse_all(norm, nlen, f, &missing, line_no);
		if (err != SUBSCRIBER_OK || missing > 0) {
			err = err != SUBSCRIBER_OK ? err : SUBSCRIBER_ERR_IO;
			goto fail;
		}
	}
	f->path = strdup(path);
	struct subscriber **idx = calloc(f->n, sizeof *idx);
	if (f->path == NULL || idx == NULL) {
		free(idx);
		err = SUBSCRIBER_ERR_IO;
		goto fail;
	}
	for (size_t i = 0; i < f->n; i++)
		idx[i] = &f->s[i];
	qsort(idx, f->n, sizeof *idx, by_impi);
	for (size_t i = 1; i < f->n; i++)
		if (strcmp(idx[i - 1]->impi, idx[i]->impi) == 0) {
			free(idx);
			err = SUBSCRIBER_ERR_DUPLICATE;
			goto fail;
		}
	/* Sorted by IMPI from now on; offsets keep each line's place in the file. */
	struct subscriber *sorted = calloc(f->n, sizeof *sorted);
	if (sorted == NULL) {
		free(idx);
		err = SUBSCRIBER_ERR_IO;
		goto fail;
	}
	size_t n = f->n;
	for (size_t i = 0; i < n; i++)
		sorted[i] = *idx[i];
	free(idx);
	files_free(f);
	f->s = sorted;
	f->n = n;
	err = SUBSCRIBER_OK;
	goto out;
fail:
	subscriber_close(f);
out:
	if (buf)
		OPENSSL_clear_free(buf, len + 1);
	if (norm)
		OPENSSL_clear_free(norm, nlen + 1);
	return err;
}

struct subscriber *subscriber_find(struct subscriber_file *f, const char *impi)
{
	size_t lo = 0, hi = f->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(impi, f->s[mid].impi);
		if (c == 0)
			return &f->s[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int subscriber_store(struct subscriber_file *f, const struct subscriber *s)
{
	char state[SEQ_MS_CHARS + 2];
	size_t len = f->role == SUBSCRIBER_HSS ? SQN_DIGITS : SEQ_MS_CHARS;
	off_t at = f->role == SUBSCRIBER_HSS ? s->sqn_off : s->seq_ms_off;
	if (f->fd < 0 || at < 0) {
		errno = EINVAL;
		return -1;
	}
	format_state(s, f->role, state);
	ssize_t n = pwrite(f->fd, state, len, at);
	if (n != (ssize_t)len) {
		if (n >= 0)
			errno = EIO;
		return -1;
	}
	return fdatasync(f->fd);
}

void subscriber_close(struct subscriber_file *f)
{
	files_free(f);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	free(f->path);
	f->path = NULL;
}

const char *subscriber_err_str(enum subscriber_err e)
{
	switch (e) {
	case SUBSCRIBER_OK: return "ok";
	case SUBSCRIBER_SKIP: return "blank or comment";
	case SUBSCRIBER_ERR_IMPI: return "invalid IMPI (empty, too long, not printable, or missing)";
	case SUBSCRIBER_ERR_FIELD: return "unknown or repeated field (want k=, op= or opc=, amf=, sqn=, seq-ms=)";
	case SUBSCRIBER_ERR_K: return "k is missing or not 32 hex digits";
	case SUBSCRIBER_ERR_OP: return "want exactly one of op= and opc=, 32 hex digits";
	case SUBSCRIBER_ERR_AMF: return "amf is not 4 hex digits";
	case SUBSCRIBER_ERR_SQN: return "sqn is not 12 hex digits";
	case SUBSCRIBER_ERR_SEQ_MS: return "seq-ms is not 32 comma-separated SEQ values of 12 hex digits";
	case SUBSCRIBER_ERR_DUPLICATE: return "an IMPI appears twice";
	case SUBSCRIBER_ERR_IO: return "cannot read or update the file";
	case SUBSCRIBER_ERR_MODE: return "group or others may access the file (chmod 600)";
	case SUBSCRIBER_ERR_LOCKED: return "another process has the file open";
	case SUBSCRIBER_ERR_EMPTY: return "no subscriber in the file";
	}
	return "unknown error";
}
