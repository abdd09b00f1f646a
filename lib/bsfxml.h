/*
 * bsfxml: the BootstrappingInfo document of a Ub 200 OK (TS 24.109 Annex C,
 * namespace "uri:3gpp-gba", media type application/vnd.3gpp.bsf+xml):
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <BootstrappingInfo xmlns="uri:3gpp-gba">
 *     <btid>B-TID</btid>
 *     <lifetime>2024-05-01T12:00:00Z</lifetime>
 *   </BootstrappingInfo>
 *
 * The reader takes exactly that language and nothing else: an optional XML
 * declaration (version 1.0, encoding UTF-8 if named), the root element in the
 * default namespace with only the xmlns attribute, one btid, at most one
 * lifetime (xs:dateTime with Z or a +hh:mm/-hh:mm offset, fractions of a
 * second ignored), whitespace between elements, the five predefined entities
 * in text.  No DOCTYPE, comment, processing instruction, CDATA, character
 * reference, prefix or extension element (Annex C's xs:any ##other is not
 * accepted: nothing here would use it).  At most BSFXML_MAX octets.
 */
#ifndef MIP4_BSFXML_H
#define MIP4_BSFXML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BSFXML_MAX 2048
#define BSFXML_MEDIA_TYPE "application/vnd.3gpp.bsf+xml"

enum bsfxml_err {
	BSFXML_OK,
	BSFXML_ERR_TOO_LONG,
	BSFXML_ERR_DECL,        /* XML declaration */
	BSFXML_ERR_ROOT,        /* not <BootstrappingInfo xmlns="uri:3gpp-gba"> */
	BSFXML_ERR_BTID,        /* btid missing, empty, too long */
	BSFXML_ERR_LIFETIME,    /* not an xs:dateTime */
	BSFXML_ERR_SYNTAX,      /* anything else */
};

struct bsfxml_info {
	char btid[256];
	bool has_lifetime;
	int64_t lifetime;       /* Unix seconds (UTC) */
};

/* The document for btid, expiring at lifetime (Unix seconds, written in UTC).
 * Returns its length (NUL-terminated), or 0 when it does not fit or btid holds
 * a character that is not printable ASCII. */
size_t bsfxml_write(const char *btid, int64_t lifetime, char *out, size_t cap);
enum bsfxml_err bsfxml_read(const char *doc, size_t len, struct bsfxml_info *out);
const char *bsfxml_err_str(enum bsfxml_err e);

#endif
