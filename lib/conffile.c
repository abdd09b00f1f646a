#include "lib/conffile.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "lib/auth.h"
#include "lib/gba.h"
#include "lib/log.h"
#include "lib/reg.h"

/* Set by conffile_parse for the file it parses: a key must not live in a file
 * others may read.  Parsing runs on one thread, before any other starts. */
static bool conffile_others_may_read;

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
	struct stat st;
	conffile_others_may_read = stat(path, &st) == 0 && (st.st_mode & S_IROTH);
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

cfg_t *conffile_init(cfg_opt_t *opts, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		return NULL;
	}
	cfg_t *cfg = cfg_init(opts, CFGF_NONE);
	if (!cfg) {
		fprintf(stderr, "%s: out of memory\n", path);
		return NULL;
	}
	cfg_set_error_function(cfg, conffile_errfunc);
	return cfg;
}

int conffile_load(cfg_t *cfg, const char *path)
{
	int rc = conffile_parse(cfg, path);
	if (rc == CFG_FILE_ERROR)
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
	if (rc == CFG_SUCCESS)
		return 0;
	cfg_free(cfg);
	return -1;
}

void conffile_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (cfg && cfg->filename && cfg->line > 0)
		fprintf(stderr, "%s:%d: %s\n", cfg->filename, cfg->line, msg);
	else if (cfg && cfg->filename)
		fprintf(stderr, "%s: %s\n", cfg->filename, msg);
	else
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, msg);
}

int conffile_check_range(cfg_t *cfg, cfg_opt_t *opt, long lo, long hi)
{
	long v = cfg_opt_getnint(opt, cfg_opt_size(opt) - 1);
	if (v < lo || v > hi) {
		cfg_error(cfg, "option '%s': %ld is outside %ld..%ld", cfg_opt_name(opt), v, lo, hi);
		return -1;
	}
	return 0;
}

int conffile_v_ipv4(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);
	struct in_addr a;
	if (!s || inet_pton(AF_INET, s, &a) != 1) {
		cfg_error(cfg, "option '%s': '%s' is not an IPv4 address", cfg_opt_name(opt), s ? s : "");
		return -1;
	}
	return 0;
}

int conffile_v_ifname(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = cfg_opt_getnstr(opt, 0);
	size_t n = s ? strlen(s) : 0;
	bool ok = n > 0 && n <= 15;
	for (size_t i = 0; ok && i < n; i++)
		ok = s[i] > 0x20 && s[i] < 0x7f && s[i] != '/' && s[i] != ':';
	if (!ok) {
		cfg_error(cfg, "option '%s': '%s' is not an interface name (1-15 characters, no '/', ':' or blanks)",
		          cfg_opt_name(opt), s ? s : "");
		return -1;
	}
	return 0;
}

int conffile_v_level(cfg_t *cfg, cfg_opt_t *opt)
{
	enum log_level l;
	const char *s = cfg_opt_getnstr(opt, 0);
	if (!s || !log_level_parse(s, &l)) {
		cfg_error(cfg, "option '%s': '%s' is not one of debug, info, notice, warning, error",
		          cfg_opt_name(opt), s ? s : "");
		return -1;
	}
	return 0;
}

int conffile_v_spi(cfg_t *cfg, cfg_opt_t *opt)
{
	return conffile_check_range(cfg, opt, REG_SPI_MIN, 0xffffffffL);
}

int conffile_v_alg(cfg_t *cfg, cfg_opt_t *opt)
{
	enum auth_alg a;
	const char *s = cfg_opt_getnstr(opt, 0);
	if (!s || !auth_alg_parse(s, &a) || (a != AUTH_HMAC_MD5 && a != AUTH_HMAC_SHA1)) {
		cfg_error(cfg, "option '%s': '%s' is not hmac-md5 or hmac-sha1", cfg_opt_name(opt), s ? s : "");
		return -1;
	}
	return 0;
}

bool conffile_parse_key(const char *s, uint8_t *key, size_t *len)
{
	if (!s || *s == '\0' || OPENSSL_hexstr2buf_ex(key, CONFFILE_KEY_MAX, len, s, '\0') != 1) {
		OPENSSL_cleanse(key, CONFFILE_KEY_MAX);
		return false;
	}
	return true;
}

int conffile_v_key(cfg_t *cfg, cfg_opt_t *opt)
{
	uint8_t key[CONFFILE_KEY_MAX];
	size_t len;
	if (conffile_others_may_read) {
		cfg_error(cfg, "option '%s': refusing a key in a file readable by others (chmod o-r)",
		          cfg_opt_name(opt));
		return -1;
	}
	bool ok = conffile_parse_key(cfg_opt_getnstr(opt, 0), key, &len);
	OPENSSL_cleanse(key, sizeof key);
	if (!ok) {
		cfg_error(cfg, "option '%s': not 2 to %d hex digits in pairs", cfg_opt_name(opt), 2 * CONFFILE_KEY_MAX);
		return -1;
	}
	return 0;
}

static int conffile_v_sa_lifetime(cfg_t *cfg, cfg_opt_t *opt)
{
	return conffile_check_range(cfg, opt, 0, 0xffffffffL);
}

static int conffile_v_sa_section(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	struct in_addr a;
	if (inet_pton(AF_INET, cfg_title(sec), &a) != 1) {
		cfg_error(cfg, "section '%s \"%s\"': the title must be an IPv4 address", cfg_opt_name(opt), cfg_title(sec));
		return -1;
	}
	if (cfg_size(sec, "spi") == 0 || cfg_size(sec, "key") == 0 || !cfg_getstr(sec, "key")) {
		cfg_error(cfg, "section '%s \"%s\"': options 'spi' and 'key' are required", cfg_opt_name(opt),
		          cfg_title(sec));
		return -1;
	}
	return 0;
}

cfg_opt_t conffile_sa_opts[] = {
	CFG_INT("spi", 0, CFGF_NODEFAULT),
	CFG_STR("algorithm", "hmac-md5", CFGF_NONE),
	CFG_STR("key", NULL, CFGF_NODEFAULT),
	CFG_INT("lifetime", 0, CFGF_NONE),
	CFG_END()
};

void conffile_sa_validate(cfg_t *cfg, const char *name)
{
	static const struct {
		const char *opt;
		cfg_validate_callback_t fn;
	} v[] = {
		{ "spi", conffile_v_spi }, { "algorithm", conffile_v_alg }, { "key", conffile_v_key },
		{ "lifetime", conffile_v_sa_lifetime },
	};
	char path[64];
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		snprintf(path, sizeof path, "%s|%s", name, v[i].opt);
		cfg_set_validate_func(cfg, path, v[i].fn);
	}
	cfg_set_validate_func(cfg, name, conffile_v_sa_section);
}

struct conffile_sa *conffile_sa_fill(cfg_t *cfg, const char *name, size_t *n)
{
	*n = cfg_size(cfg, name);
	struct conffile_sa *sas = calloc(*n ? *n : 1, sizeof *sas);
	if (!sas) {
		*n = 0;
		return NULL;
	}
	for (size_t i = 0; i < *n; i++) {
		cfg_t *sec = cfg_getnsec(cfg, name, (unsigned)i);
		struct conffile_sa *sa = &sas[i];
		struct in_addr a;
		inet_pton(AF_INET, cfg_title(sec), &a);
		sa->addr = a.s_addr;
		sa->spi = (uint32_t)cfg_getint(sec, "spi");
		sa->alg = AUTH_HMAC_MD5;
		auth_alg_parse(cfg_getstr(sec, "algorithm"), &sa->alg);
		conffile_parse_key(cfg_getstr(sec, "key"), sa->key, &sa->key_len);
		sa->lifetime = (uint32_t)cfg_getint(sec, "lifetime");
	}
	return sas;
}

void conffile_sa_free(struct conffile_sa *sas, size_t n)
{
	if (sas)
		OPENSSL_cleanse(sas, n * sizeof *sas);
	free(sas);
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
