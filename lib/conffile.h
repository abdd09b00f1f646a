#ifndef MIP4_CONFFILE_H
#define MIP4_CONFFILE_H

#include <confuse.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/auth.h"

/* Parse the libconfuse file at path into cfg, like cfg_parse(), but with the
 * line numbers of error messages (cfg->line) matching the file.
 *
 * libconfuse 3.3 counts every '#' or '//' comment three times and adds one
 * line for every closing of a '/ *...* /' comment, so its numbers drift in a
 * commented file.  The file is parsed from a copy with the comments removed
 * (the newlines kept), read with libconfuse's own tokenizing rules: comment
 * markers inside '...' or "..." strings (with their backslash escapes), inside
 * ${VAR} references, and '//' or '/ *' inside an unquoted word are text.
 * cfg->filename is path, for the error function.  Files pulled in with
 * include() are parsed by libconfuse itself, without the correction.
 *
 * Returns CFG_SUCCESS, CFG_FILE_ERROR (errno says why; nothing reported to the
 * error function) or CFG_PARSE_ERROR (reported to cfg's error function).
 * Also notes whether others may read the file, for conffile_v_key. */
int conffile_parse(cfg_t *cfg, const char *path);

/* The start of loading path: cfg_init(opts) with conffile_errfunc set, once
 * path is known to exist.  NULL after printing "FILE: cannot read: why" (or
 * out of memory) to stderr. */
cfg_t *conffile_init(cfg_opt_t *opts, const char *path);
/* conffile_parse with the errors reported: 0, or -1 with cfg freed. */
int conffile_load(cfg_t *cfg, const char *path);

/*
 * What the daemons' configurations check the same way.  The validators have
 * libconfuse's validate-callback signature, report through cfg_error (so the
 * message names file, line and option) and return 0 or -1.
 */

/* Error function for cfg_set_error_function: "FILE:LINE: message". */
void conffile_errfunc(cfg_t *cfg, const char *fmt, va_list ap);
/* The last value of an integer option lies in lo..hi. */
int conffile_check_range(cfg_t *cfg, cfg_opt_t *opt, long lo, long hi);
/* An IPv4 address in dotted form. */
int conffile_v_ipv4(cfg_t *cfg, cfg_opt_t *opt);
/* An interface name the kernel accepts: 1..15 octets, no '/', ':' or blanks. */
int conffile_v_ifname(cfg_t *cfg, cfg_opt_t *opt);
/* debug, info, notice, warning or error. */
int conffile_v_level(cfg_t *cfg, cfg_opt_t *opt);
/* An SPI of a mobility security association: 256..2^32-1. */
int conffile_v_spi(cfg_t *cfg, cfg_opt_t *opt);
/* hmac-md5 or hmac-sha1 (RFC 5944 §3.5.1 and RFC 3957). */
int conffile_v_alg(cfg_t *cfg, cfg_opt_t *opt);
/* A key in hex, 1..CONFFILE_KEY_MAX octets, in a file others cannot read. */
#define CONFFILE_KEY_MAX 32
int conffile_v_key(cfg_t *cfg, cfg_opt_t *opt);
/* Decode a key as conffile_v_key accepts it into key[CONFFILE_KEY_MAX]; on
 * failure key is wiped and false returned. */
bool conffile_parse_key(const char *s, uint8_t *key, size_t *len);

/*
 * Static mobility security associations, one titled section each:
 *   NAME "PEER-ADDRESS" { spi = 300  algorithm = "hmac-md5"  key = "00..ff"  lifetime = 0 }
 * (algorithm hmac-md5 by default, lifetime in seconds, 0 = none).  Declare the
 * section with CFG_SEC(name, conffile_sa_opts, CFGF_MULTI | CFGF_TITLE |
 * CFGF_NO_TITLE_DUPES), check it with conffile_sa_validate after cfg_init, read
 * it with conffile_sa_fill after parsing.
 */
extern cfg_opt_t conffile_sa_opts[];

struct conffile_sa {
	uint32_t addr;     /* the peer, network byte order */
	uint32_t spi;
	enum auth_alg alg;
	uint8_t key[CONFFILE_KEY_MAX];
	size_t key_len;
	uint32_t lifetime; /* seconds; 0 = no expiry */
};

void conffile_sa_validate(cfg_t *cfg, const char *name);
/* The sections called name, in file order, into a new array (*n entries; never
 * NULL unless memory ran out).  conffile_sa_free wipes the keys. */
struct conffile_sa *conffile_sa_fill(cfg_t *cfg, const char *name, size_t *n);
void conffile_sa_free(struct conffile_sa *sas, size_t n);

/* Validate callbacks (cfg_set_validate_func) for the GBA options of our
 * daemons: a DNS name such as a NAF FQDN ("option 'X': 'V' is not a valid DNS
 * name"), and a Ua security protocol id of 10 hex digits ("... is not 10 hex
 * digits"). */
int conffile_v_dns_name(cfg_t *cfg, cfg_opt_t *opt);
int conffile_v_ua_id(cfg_t *cfg, cfg_opt_t *opt);

#endif
