#include "lib/conffile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/gba.h"

/* The whole file, NUL-terminated; NULL with errno set on failure. */
static char *conffile_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (ferror(f)) {
			int e = errno;
			free(buf);
			fclose(f);
			errno = e;
			return NULL;
		}
		if (feof(f))
			break;
		char *bigger = realloc(buf, cap * 2);
		if (!bigger)
			free(buf);
		buf = bigger;
		cap *= 2;
	}
	fclose(f);
	if (!buf) {
		errno = ENOMEM;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Characters libconfuse's unquoted-string rule stops at. */
static bool conffile_word_char(char c)
{
	return c != '\0' && !strchr(" #\"'\t\n\r={}()+,*", c);
}

/* Index just past the ${...} reference starting at s[i] (the libconfuse rule
 * takes everything up to the first '}', newlines included). */
static size_t conffile_skip_var(const char *s, size_t i, size_t len)
{
	const char *close = memchr(s + i, '}', len - i);
	return close ? (size_t)(close - s) + 1 : len;
}

/* Copy s into out (same size or smaller) without its comments.  A block
 * comment becomes one space (it separates tokens) plus its newlines. */
static size_t conffile_strip(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0;
	bool word = false; /* inside an unquoted word: '//' and '/ *' are text */
	while (i < len) {
		char c = s[i];
		char next = i + 1 < len ? s[i + 1] : '\0';
		if (c == '#' || (c == '/' && next == '/' && !word)) {
			while (i < len && s[i] != '\n')
				i++;
			word = false;
		} else if (c == '/' && next == '*' && !word) {
			const char *end = NULL;
			for (size_t j = i + 2; j + 1 < len; j++) {
				if (s[j] == '*' && s[j + 1] == '/') {
					end = s + j;
					break;
				}
			}
			size_t stop = end ? (size_t)(end - s) + 2 : len;
			out[o++] = ' ';
			for (i += 2; i < stop; i++)
				if (s[i] == '\n')
					out[o++] = '\n';
			word = false;
		} else if (c == '"' || c == '\'') {
			out[o++] = s[i++];
			while (i < len && s[i] != c) {
				if (s[i] == '\\' && i + 1 < len) {
					out[o++] = s[i++];
				} else if (c == '"' && s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
					size_t stop = conffile_skip_var(s, i, len);
					memcpy(out + o, s + i, stop - i);
					o += stop - i;
					i = stop;
					continue;
				}
				out[o++] = s[i++];
			}
			if (i < len)
				out[o++] = s[i++];
			word = false;
		} else if (c == '$' && next == '{' && !word) {
			size_t stop = conffile_skip_var(s, i, len);
			memcpy(out + o, s + i, stop - i);
			o += stop - i;
			i = stop;
			word = false;
		} else {
			word = conffile_word_char(c);
			out[o++] = s[i++];
		}
	}
	return o;
}

int conffile_parse(cfg_t *cfg, const char *path)
{
	size_t len = 0;
	char *text = conffile_read(path, &len);
	if (!text)
		return CFG_FILE_ERROR;
	char *stripped = malloc(len + 1);
	if (!stripped) {
		free(text);
		errno = ENOMEM;
		return CFG_FILE_ERROR;
	}
	size_t n = conffile_strip(text, len, stripped);
	free(text);
	FILE *f = fmemopen(stripped, n, "r");
	char *name = strdup(path);
	if (!f || !name) {
		int e = errno;
		if (f)
			fclose(f);
		free(name);
		free(stripped);
		errno = e;
		return CFG_FILE_ERROR;
	}
	free(cfg->filename);
	cfg->filename = name;
	int rc = cfg_parse_fp(cfg, f);
	fclose(f);
	free(stripped);
	return rc;
}

int conffile_v_dns_name(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, 0);
	uint8_t ua[GBA_UA_ID_LEN] = { 0 }, tmp[GBA_NAF_ID_MAX];
	if (!v || gba_naf_id(v, ua, tmp, sizeof(tmp)) == 0) {
		cfg_error(cfg, "option '%s': '%s' is not a valid DNS name", cfg_opt_name(opt), v ? v : "");
		return -1;
	}
	return 0;
}

int conffile_v_ua_id(cfg_t *cfg, cfg_opt_t *opt)
{
	uint8_t ua[GBA_UA_ID_LEN];
	const char *v = cfg_opt_getnstr(opt, 0);
	if (!v || !gba_ua_id_parse(v, ua)) {
		cfg_error(cfg, "option '%s': '%s' is not 10 hex digits", cfg_opt_name(opt), v ? v : "");
		return -1;
	}
	return 0;
}
