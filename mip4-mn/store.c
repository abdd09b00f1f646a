/*
 * mip4-mn-store: lab bootstrap stores for mip4-mn.
 */
#include "mip4-mn/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "lib/milenage.h"
#include "mip4-mn/boot.h"

static int open_store(const char *path, bool append, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0600);

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || (append && (st.st_mode & S_IRWXO))) {
		snprintf(err, errlen, "%s: accessible by others, refusing to add keys", path);
		close(fd);
		return -1;
	}
	if (fchmod(fd, 0600) != 0) {
		snprintf(err, errlen, "%s: chmod: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
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

int mn_store_ks_milenage(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
                         uint8_t ks[GBA_KS_LEN])
{
	uint8_t res[8], ak[6];
	int rc = milenage_f2345(k, opc, rand, res, ks, ks + 16, ak);

	OPENSSL_cleanse(res, sizeof(res));
	OPENSSL_cleanse(ak, sizeof(ak));
	return rc;
}

/* --make-store with --subscriber: the entries of Ub runs (mip4-mn-boot). */
static int make_from_ub(const struct mn_opts *o, char *err, size_t errlen)
{
	struct mn_boot b;
	struct bootstrap_store st = { 0 };
	char line[1024];
	int rc = -1;
	int fd_mn = -1, fd_bsf = -1;

	if (mn_boot_open(&b, o) != 0) {
		snprintf(err, errlen, "cannot open %s", o->subscriber);
		return -1;
	}
	if (mn_boot_load(&b, o->make_store, &st) != 0 || b.failed) {
		snprintf(err, errlen, "%u Ub bootstraps failed", b.failed);
		goto out;
	}
	fd_mn = open_store(o->out_mn, o->append, err, errlen);
	if (fd_mn < 0 || (o->out_bsf && (fd_bsf = open_store(o->out_bsf, o->append, err, errlen)) < 0))
		goto out;
	for (size_t i = 0; i < st.n; i++) {
		size_t len = bootstrap_format_line(&st.e[i], line, sizeof(line));
		if (len == 0 || write_all(fd_mn, line, len) != 0 || (fd_bsf >= 0 && write_all(fd_bsf, line, len) != 0)) {
			snprintf(err, errlen, "write: %s", len ? strerror(errno) : "entry too long");
			goto out;
		}
	}
	rc = 0;
out:
	OPENSSL_cleanse(line, sizeof(line));
	if (fd_mn >= 0 && close(fd_mn) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", o->out_mn, strerror(errno));
		rc = -1;
	}
	if (fd_bsf >= 0 && close(fd_bsf) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", o->out_bsf, strerror(errno));
		rc = -1;
	}
	bootstrap_free(&st);
	mn_boot_close(&b);
	return rc;
}

/* --make-store: random RAND and Ks (or Ks from MILENAGE for random RANDs). */
static int make_random(const struct mn_opts *o, char *err, size_t errlen)
{
	struct bootstrap_entry e = {0};
	char line[1024] = {0};
	uint8_t opc[16] = {0};
	int rc = -1;
	int fd_mn = open_store(o->out_mn, o->append, err, errlen);
	int fd_bsf = fd_mn < 0 ? -1 : open_store(o->out_bsf, o->append, err, errlen);

	if (fd_mn < 0 || fd_bsf < 0)
		goto out;
	if (o->milenage && milenage_opc(o->k, o->op, opc) != 0) {
		snprintf(err, errlen, "MILENAGE: cannot compute OPc");
		goto out;
	}
	for (unsigned i = 0; i < o->make_store; i++) {
		size_t len;

		memset(&e, 0, sizeof(e));
		if (RAND_bytes(e.rand, sizeof(e.rand)) != 1 ||
		    (!o->milenage && RAND_bytes(e.ks, sizeof(e.ks)) != 1)) {
			snprintf(err, errlen, "RAND_bytes failed");
			goto out;
		}
		if (o->milenage && mn_store_ks_milenage(o->k, opc, e.rand, e.ks) != 0) {
			snprintf(err, errlen, "MILENAGE failed");
			goto out;
		}
		if (gba_btid_format(e.rand, o->bsf_domain, e.btid, sizeof(e.btid)) == 0) {
			snprintf(err, errlen, "--bsf-domain: not a DNS name: '%s'", o->bsf_domain);
			goto out;
		}
		if ((size_t)snprintf(e.impi, sizeof(e.impi), "%s%06u@%s", o->impi_prefix, o->first + i,
		                     o->impi_realm) >= sizeof(e.impi)) {
			snprintf(err, errlen, "--impi-prefix/--impi-realm: IMPI too long");
			goto out;
		}
		e.expiry = (int64_t)time(NULL) + o->expiry;
		len = bootstrap_format_line(&e, line, sizeof(line));
		if (len == 0) {
			snprintf(err, errlen, "cannot format entry %u (IMPI '%s')", i, e.impi);
			goto out;
		}
		if (write_all(fd_mn, line, len) != 0 || write_all(fd_bsf, line, len) != 0) {
			snprintf(err, errlen, "write: %s", strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	OPENSSL_cleanse(&e, sizeof(e));
	OPENSSL_cleanse(opc, sizeof(opc));
	OPENSSL_cleanse(line, sizeof(line));
	if (fd_mn >= 0 && close(fd_mn) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", o->out_mn, strerror(errno));
		rc = -1;
	}
	if (fd_bsf >= 0 && close(fd_bsf) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", o->out_bsf, strerror(errno));
		rc = -1;
	}
	return rc;
}

int mn_store_make(const struct mn_opts *o, char *err, size_t errlen)
{
	return o->subscriber ? make_from_ub(o, err, errlen) : make_random(o, err, errlen);
}

const struct bootstrap_entry *mn_store_newest(const struct bootstrap_store *s, const char *impi)
{
	const struct bootstrap_entry *best = NULL;

	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->e[i].impi, impi) == 0 && (!best || s->e[i].expiry > best->expiry))
			best = &s->e[i];
	return best;
}
