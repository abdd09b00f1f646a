/*
 * subscriber: the lab subscriber file, the secret a USIM and the HSS share.
 * Text, one subscriber per line, '#' comment lines and blank lines allowed:
 *
 *   IMPI  k=K  op=OP|opc=OPc  [amf=AMF]  [sqn=SQN]  [seq-ms=SEQ0,SEQ1,...,SEQ31]
 *
 * K, OP and OPc are 32 hex digits, AMF 4, SQN 12; seq-ms is 32 values of 12 hex
 * digits separated by commas.  The fields after the IMPI come in any order,
 * each at most once; k and one of op/opc are required.  The state of each end
 * lives in the same line:
 *   - the HSS's: sqn = SQN_HE, the last sequence number it gave out;
 *   - the USIM's: seq-ms = SEQ_MS of each IND value (TS 33.102 Annex C).
 * subscriber_open adds the role's field where a line lacks it (zero), by
 * rewriting the file once (temporary file, fsync, rename); from then on each
 * state change overwrites its fixed-width digits in place and is flushed with
 * fdatasync before the call returns, so a crash never loses a sequence number
 * that was handed out or accepted.
 *
 * The file holds keys: it must be a regular file the owner alone may access
 * (mode 0600 or stricter), or it is refused.  It is locked (flock) while open,
 * so two processes never drive the same counters.
 */
#ifndef MIP4_SUBSCRIBER_H
#define MIP4_SUBSCRIBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/aka.h"

#define SUBSCRIBER_IMPI_MAX 255
#define SUBSCRIBER_MAX_OCTETS (64u << 20)

struct subscriber {
	char impi[SUBSCRIBER_IMPI_MAX + 1];
	uint8_t k[16];
	uint8_t opc[16];             /* computed from OP when the line gives op= */
	bool has_amf;
	uint8_t amf[AKA_AMF_LEN];
	uint64_t sqn;                /* HSS: SQN_HE */
	struct aka_usim usim;        /* USIM: SEQ_MS[] */
	off_t sqn_off, seq_ms_off;   /* where their digits are in the file (-1: absent) */
};

enum subscriber_role { SUBSCRIBER_HSS, SUBSCRIBER_USIM };

enum subscriber_err {
	SUBSCRIBER_OK,
	SUBSCRIBER_SKIP,        /* blank or comment line */
	SUBSCRIBER_ERR_IMPI,
	SUBSCRIBER_ERR_FIELD,   /* unknown field, or one twice */
	SUBSCRIBER_ERR_K,
	SUBSCRIBER_ERR_OP,      /* neither op nor opc, both, or not 32 hex digits */
	SUBSCRIBER_ERR_AMF,
	SUBSCRIBER_ERR_SQN,
	SUBSCRIBER_ERR_SEQ_MS,
	SUBSCRIBER_ERR_DUPLICATE, /* an IMPI twice */
	SUBSCRIBER_ERR_IO,
	SUBSCRIBER_ERR_MODE,    /* group or others may access the file */
	SUBSCRIBER_ERR_LOCKED,  /* another process has it open */
	SUBSCRIBER_ERR_EMPTY,   /* no subscriber at all */
};

/* Parse one line (pure).  The offsets are relative to the line's start. */
enum subscriber_err subscriber_parse_line(const char *line, size_t len, struct subscriber *s);

struct subscriber_file {
	char *path;
	int fd;
	enum subscriber_role role;
	struct subscriber *s;        /* in file order */
	size_t n;
};

/* Open, lock, parse, add the role's state field where missing.  On error
 * *line_no (may be NULL) names the failing line (0: the file as a whole). */
enum subscriber_err subscriber_open(const char *path, enum subscriber_role role, struct subscriber_file *f,
                                    size_t *line_no);
/* The subscriber with this IMPI, or NULL. */
struct subscriber *subscriber_find(struct subscriber_file *f, const char *impi);
/* Write s's state for the file's role (sqn or seq-ms) in place and flush it.
 * 0, or -1 with errno set.  Safe from several threads for different s. */
int subscriber_store(struct subscriber_file *f, const struct subscriber *s);
/* Unlock, close, wipe every key. */
void subscriber_close(struct subscriber_file *f);

const char *subscriber_err_str(enum subscriber_err e);

#endif
