/*
 * jrec: the records of the HA journal and the headers of its files, as octets.
 * Pure functions, no I/O: journal.c writes and reads the files, the unit tests
 * and the load bench drive these directly.
 *
 * A file is a 32-octet header then records.  Every record starts on an 8-octet
 * boundary with magic 0xA7, its type, its length (a multiple of 8, header
 * included) and a CRC-32C over the whole record (CRC field zero), so that a
 * reader can tell a record from garbage anywhere in a file and step over a
 * damaged stretch to the next record.  Integers are little-endian.  Times are
 * Unix seconds (wall clock): a restart may come after a reboot.
 */
#ifndef MIP4_HA_JREC_H
#define MIP4_HA_JREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JREC_ALIGN 8
#define JREC_MAX 1024
#define JREC_KEY_MAX 32
#define JFILE_HDR_LEN 32

enum jrec_type {
	JREC_BINDING = 1,  /* a binding as it now is */
	JREC_BINDING_DEL,  /* the binding is gone */
	JREC_SA,           /* an AAA-made security association, key included */
	JREC_SA_IDENT,     /* the last Identification the association accepted */
	JREC_SA_DEL,       /* the association is gone */
	JREC_REPLY,        /* the cached reply of an AAA-authenticated request */
};

struct jrec {
	enum jrec_type type;
	uint32_t home; /* network byte order, as in the tables */
	union {
		struct {
			uint32_t coa;
			uint64_t ident, expires, since;
			uint16_t granted;
			uint8_t code, flags;
			bool sa_ident; /* the home address's SA last accepted this ident */
		} binding;
		uint64_t ident;    /* BINDING_DEL (0: no SA), SA_IDENT */
		struct {
			uint32_t spi;
			uint8_t alg, replay, key_len;
			uint64_t last_ident, expires; /* expires 0: none */
			uint8_t key[JREC_KEY_MAX];
			bool from_zn;                 /* method 2: the key is Ks_NAF(HA) of btid_fp */
			uint64_t btid_fp, owner_fp;
		} sa;
		struct {
			uint64_t ident, expires;
			uint8_t mn_len, auth_len;
			uint16_t rrp_len;
			const uint8_t *mn, *auth, *rrp; /* into the buffer decoded */
		} reply;
	};
};

/* Encode r into out; returns the length (a multiple of 8), or 0 when it does
 * not fit cap or r is not valid. */
size_t jrec_encode(const struct jrec *r, uint8_t *out, size_t cap);
/* The record at buf (len octets available): its length, or 0 when what is
 * there is not a whole valid record. */
size_t jrec_decode(const uint8_t *buf, size_t len, struct jrec *r);

/* Walk the records of a buffer, skipping (and counting) whatever is not one. */
struct jscan {
	const uint8_t *buf;
	size_t len, off;
	size_t bad_bytes, bad_spans; /* damaged stretches stepped over */
	size_t first_bad;            /* offset of the first, when bad_spans */
	bool truncated;              /* the last stretch ran to the end: a torn tail */
};
void jscan_init(struct jscan *s, const uint8_t *buf, size_t len);
/* The next valid record; false at the end. */
bool jscan_next(struct jscan *s, struct jrec *r);

enum jfile_kind { JFILE_SNAPSHOT = 1, JFILE_LOG = 2 };
struct jfile_hdr {
	enum jfile_kind kind;
	uint64_t seq;     /* log: its number; snapshot: the first log to replay after it */
	uint32_t created; /* Unix seconds */
};
void jfile_hdr_encode(const struct jfile_hdr *h, uint8_t out[JFILE_HDR_LEN]);
bool jfile_hdr_decode(const uint8_t *in, size_t len, struct jfile_hdr *h);

#endif
