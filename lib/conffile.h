#ifndef MIP4_CONFFILE_H
#define MIP4_CONFFILE_H

#include <confuse.h>

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
 * error function) or CFG_PARSE_ERROR (reported to cfg's error function). */
int conffile_parse(cfg_t *cfg, const char *path);

/* Validate callbacks (cfg_set_validate_func) for the GBA options of our
 * daemons: a DNS name such as a NAF FQDN ("option 'X': 'V' is not a valid DNS
 * name"), and a Ua security protocol id of 10 hex digits ("... is not 10 hex
 * digits"). */
int conffile_v_dns_name(cfg_t *cfg, cfg_opt_t *opt);
int conffile_v_ua_id(cfg_t *cfg, cfg_opt_t *opt);

#endif
