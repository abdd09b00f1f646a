/*
 * mip4-mn-opts: command line of mip4-mn.
 */
#include "mip4-mn/opts.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "lib/reg.h"

void mn_opts_usage(FILE *out)
{
	fputs(
"Usage: mip4-mn [OPTION]...                      register one mobile node (default)\n"
"       mip4-mn --load [OPTION]...               drive many mobile nodes\n"
"       mip4-mn --make-store N --bsf-domain D --out-mn FILE --out-bsf FILE [...]\n"
"       mip4-mn --ub-only --subscriber FILE --bsf URL [...]   bootstrap on Ub only\n"
"\n"
"A lab Mobile IPv4 mobile node (RFC 5944) with a co-located care-of address that\n"
"gets its MN-HA key from the AAA (RFC 3957) after authenticating with its GBA key\n"
"Ks_NAF (3GPP TS 33.220, MN-AAA extension of RFC 4721; TR 33.822 method 1), or\n"
"uses Ks_NAF for the home agent as its MN-HA key (TR 33.822 method 2, the HA is\n"
"the NAF), or a static MN-HA security association.  It re-registers with MN-HA\n"
"authentication and NTP timestamps, resynchronises on a 133 reply, and\n"
"deregisters.\n"
"\n"
"Network:\n"
"  --ha ADDR[:PORT]        home agent (default 127.0.0.1:434); ADDR is also the\n"
"                          request's Home Agent field\n"
"  --bind ADDR[:PORT]      local socket (default 127.0.0.1, any port)\n"
"  --coa ADDR              care-of address in requests (default: the bind address)\n"
"  --home-addr ADDR        home address; node i of a load run uses ADDR + i;\n"
"                          0.0.0.0 (default) asks the home network to assign one\n"
"  --lifetime SECONDS      requested registration lifetime, 1-65534 (default 300)\n"
"  --timeout MS            first retransmission timeout (default 1000)\n"
"  --timeout-max MS        retransmission timeout cap; it doubles up to this\n"
"                          (default 8000)\n"
"  --retries N             retransmissions before an operation times out (default 3)\n"
"  --clock-offset SECONDS  pretend our clock is off by this much (may be negative):\n"
"                          the HA answers 133 and the node resynchronises\n"
"\n"
"GBA keys:\n"
"  --store FILE            bootstrap store (B-TID IMPI RAND Ks expiry per line, not\n"
"                          accessible by others); the B-TID is sent as the NAI\n"
"  --btid B-TID            use this entry (default: the first entry)\n"
"  --impi IMPI             use this IMPI's entry with the latest expiry\n"
"  --method 1|2            1 (default): first registrations through the AAA/NAF,\n"
"                          MN-AAA keyed with Ks_NAF, MN-HA key from the KeyGen\n"
"                          Reply (RFC 3957); 2: every request carries the NAI and\n"
"                          an MN-HA authenticator, HMAC-SHA-1 keyed with Ks_NAF\n"
"                          of the HA (32 octets), which fetches it over Zn\n"
"  --naf-fqdn FQDN         the NAF's FQDN, first part of NAF_Id: the AAA's in\n"
"                          method 1 (default aaa.lab.example), the HA's in method 2\n"
"                          (default ha.lab.example)\n"
"  --ua-id HEX             Ua security protocol id, 10 hex digits (default\n"
"                          ff00000001 in method 1, ff00000002 in method 2)\n"
"  --aaa-spi SPI           method 1: MN-AAA SPI, >= 256 (HMAC-MD5) (default 256)\n"
"  --mn-spi SPI            >= 256; method 1: MN SPI of the MN-HA KeyGen Request\n"
"                          (default 4096); method 2: SPI of the MN-HA extension,\n"
"                          the HA's zn spi (default 33822)\n"
"  After a 144 or 131 to a GBA-keyed request the store is read again once (the\n"
"  \"re-bootstrap\": the IMPI's entry with the latest expiry) and the request is\n"
"  sent again.\n"
"\n"
"Through a foreign agent (RFC 5944 §2, §3.6; default: co-located care-of address):\n"
"  --fa IFACE              find foreign agents on IFACE: solicit (224.0.0.11) until\n"
"                          an Agent Advertisement comes, register through the agent\n"
"                          that sent it with its care-of address, answer its RFC 4721\n"
"                          challenge (from its last reply, else its advertisement),\n"
"                          re-register through any other agent heard and when the\n"
"                          agent restarts; requests go to the agent, --ha names the\n"
"                          home agent; --bind defaults to 0.0.0.0 on IFACE.  After\n"
"                          69 the request is sent again with the agent's lifetime,\n"
"                          after 104/105/106 with a fresh challenge (once each)\n"
"  A GBA node (method 1) without --fa-spi gets its MN-FA key from the AAA\n"
"  (RFC 3957 §3, RFC 4004 §1.2): its first registration through an agent also\n"
"  carries the MN-FA KeyGen Request (SPI --mn-spi + 1, so --mn-spi must be\n"
"  below 4294967295); the agent's reply must carry the MN-FA KeyGen Reply and\n"
"  an MN-FA authenticator made with the key HMAC-SHA1(Ks_NAF, nonce || NAI),\n"
"  else it is dropped and no key is kept.  Re-registrations and the\n"
"  deregistration then carry the MN-HA and MN-FA authenticators only.  When\n"
"  either key lapses or the node moves to another agent (or the agent\n"
"  restarts) it forgets both keys and registers as the first time again.\n"
"  --fa-spi SPI            MN-FA security association: SPI (>= 256)\n"
"  --fa-alg ALG            hmac-md5 (default) or hmac-sha1\n"
"  --fa-key-file FILE      the MN-FA key as hex on one line (not accessible by others)\n"
"  --fa-key HEX            the MN-FA key on the command line (labs only)\n"
"  --stay SECONDS          one node: after the re-registrations keep following\n"
"                          agents this long (or until SIGTERM/SIGINT), then\n"
"                          deregister\n"
"  --reverse, --reverse-tunnel\n"
"                          ask for reverse tunnelling (T bit, RFC 3024): the\n"
"                          agent tunnels what the node sends back to the HA\n"
"\n"
"GBA bootstraps from the BSF (Ub, TS 24.109; instead of --store):\n"
"  --subscriber FILE       the USIM: one line per subscriber, IMPI k=K op=OP|opc=OPc\n"
"                          [seq-ms=...] (mode 0600; mip4-mn adds and keeps the\n"
"                          SEQ_MS state of TS 33.102 annex C in it).  Before its\n"
"                          first registration each node runs HTTP Digest AKA\n"
"                          (RFC 3310) with the BSF: AUTN checked, SQN kept,\n"
"                          AUTS on a synchronisation failure, rspauth checked;\n"
"                          Ks = CK || IK and the B-TID become its bootstrap, used\n"
"                          exactly like a --store entry.  Node i takes subscriber\n"
"                          i in IMPI order (--impi picks one); a re-bootstrap\n"
"                          runs Ub again.  Combines with every mode below.\n"
"  --bsf URL               the BSF's Ub resource, http://HOST:PORT/PATH or https://\n"
"  --bsf-realm REALM       Digest realm of the first request (default: URL's host)\n"
"  --bsf-ca FILE           CA certificate that signed the BSF's (https)\n"
"  --bsf-address ADDR      connect to ADDR; the URL's host still names the BSF (Host\n"
"                          header, certificate check), like curl --connect-to\n"
"  --bsf-timeout MS        per HTTP exchange (default 5000)\n"
"  --ub-only               bootstrap (the first --mns subscribers, --window at a\n"
"                          time) and report; no registration\n"
"  --ub-answer-delay MS    wait before answering the first challenge (lab: shows\n"
"                          the BSF's stale-nonce handling)\n"
"  With --json every bootstrap prints {\"phase\":\"ub\",\"impi\":..,\"status\":200,\n"
"  \"btid\":..,\"expiry\":..,\"challenges\":..,\"resyncs\":..,\"stale\":..,\"ms\":..,\n"
"  \"ks_fp\":..,\"ks_naf_fp\":..} (fingerprints: first octets of SHA-256;\n"
"  Ks_NAF for --naf-fqdn and --ua-id).\n"
"\n"
"Static MN-HA security association (no AAA):\n"
"  --static-spi SPI        SPI (>= 256); selects static mode\n"
"  --static-alg ALG        hmac-md5 (default), hmac-sha1 or hmac-sha256\n"
"  --static-key-file FILE  the key as hex on one line (file not accessible by others)\n"
"  --static-key HEX        the key on the command line (labs only: ps shows it)\n"
"  --nai NAI               send this NAI extension (default: none)\n"
"\n"
"One mobile node (default mode):\n"
"  --reregs N              re-registrations after the first registration (default 1)\n"
"  --interval MS           pause between the steps (default 0)\n"
"  --no-dereg              leave the binding in place at the end\n"
"  --step-cmd CMD          after each step run CMD with /bin/sh (the loop waits for\n"
"                          it), with MIP4_MN_PHASE, MIP4_MN_CODE (-1: timeout),\n"
"                          MIP4_MN_HOME, MIP4_MN_COA and MIP4_MN_NAI in its\n"
"                          environment; a non-zero exit status stops the scenario\n"
"                          and fails it\n"
"  --reverse-tunnel        ask for reverse tunnelling (T bit, RFC 3024): with --tun,\n"
"                          what the node sends then goes through the home agent;\n"
"                          with --fa, the agent tunnels it to the home agent\n"
"  Exit status 0 when every step was accepted (with --tun: every registration\n"
"  until SIGINT/SIGTERM and the deregistration), 1 otherwise.\n"
"\n"
"Co-located data path (one node, root: CAP_NET_ADMIN and CAP_NET_RAW):\n"
"  --tun                   after the first registration, hold the home address on a\n"
"                          TUN device with the default route through it (metric 10,\n"
"                          route protocol 159), decapsulate what the home agent\n"
"                          tunnels to the care-of address (from the HA address only),\n"
"                          and send what the node sends from its home address either\n"
"                          reverse-tunnelled (T granted) or directly on the care-of\n"
"                          interface (found from --coa / --bind).  The node stays\n"
"                          registered, re-registering at half the granted lifetime,\n"
"                          until SIGINT or SIGTERM; then it deregisters (unless\n"
"                          --no-dereg), removes its route and exits.  --reregs and\n"
"                          --interval do not apply.\n"
"  --tun-device NAME       the TUN device (default mip4mn0)\n"
"  --handover IFACE|ADDR   on SIGUSR1 move to this care-of address (the first IPv4\n"
"                          address of IFACE, or ADDR and the interface holding it):\n"
"                          the sockets move to its interface and the node\n"
"                          re-registers from it at once; the next SIGUSR1 moves it\n"
"                          back, and so on\n"
"\n"
"Load (--load):\n"
"  --mns N                 mobile nodes: the first N store entries (default all), or\n"
"                          N static nodes with consecutive home addresses\n"
"  --rate R                operations per second (default 0: as fast as the window\n"
"                          allows)\n"
"  --window W              outstanding requests at most (default 64)\n"
"  --rereg-pct P           share of operations that are re-registrations of a\n"
"                          registered node, 0-100 (default 0)\n"
"  --count N               stop after N operations (default: one per node)\n"
"  --duration SECONDS      stop starting operations after this long\n"
"  --prime                 register every node once before measuring (not counted)\n"
"  --dereg                 deregister every registered node at the end (not counted)\n"
"  Exit status 0 when every operation was accepted, 1 otherwise.\n"
"\n"
"Output:\n"
"  --json                  one JSON line per outcome on stdout:\n"
"                          {\"mn\":I,\"nai\":..,\"phase\":\"initial|rereg|dereg\",\"code\":C,\n"
"                          \"rtt_us\":T} (code -1: timed out); the summary is JSON too\n"
"  -v, --verbose           transcript of every step on stderr (never a key; new\n"
"                          keys are shown as a SHA-256 fingerprint)\n"
"  A summary line always ends the run: sent, accepted, rejected by code,\n"
"  timeouts, rate/s, p50/p90/p99/max round trip in microseconds.\n"
"\n"
"Store generator (--make-store N):\n"
"  --bsf-domain D          B-TID domain (required)\n"
"  --out-mn FILE           the mobile nodes' store (required)\n"
"  --out-bsf FILE          the BSF's store: the same entries (required)\n"
"  --impi-prefix P         IMPI i is P<i>@REALM (default mn)\n"
"  --impi-realm R          (default ims.lab.example)\n"
"  --first I               first index (default 0)\n"
"  --expiry SECONDS        lifetime from now, may be negative (default 86400)\n"
"  --append                append to existing stores instead of replacing them\n"
"  --subscriber FILE       take the entries from Ub runs (see above) for the first\n"
"                          N subscribers, --window at a time: --bsf replaces\n"
"                          --bsf-domain, --out-bsf is optional (the BSF keeps the\n"
"                          sessions it made)\n"
"  --milenage FILE         derive Ks = CK || IK with MILENAGE (TS 35.206) from the\n"
"                          subscriber key K and operator key OP in FILE (two hex\n"
"                          fields of 32 digits, file not accessible by others)\n"
"                          instead of drawing Ks at random\n"
"  Files are written mode 0600 with random RAND (and Ks) from RAND_bytes.\n"
"\n"
"  -h, --help              this text\n"
"  --version               version\n",
	      out);
}

enum {
	OPT_HA = 256, OPT_BIND, OPT_CLOCK_OFFSET, OPT_COA, OPT_HOME, OPT_LIFETIME, OPT_TIMEOUT, OPT_TIMEOUT_MAX, OPT_RETRIES, OPT_JSON,
	OPT_METHOD, OPT_STORE, OPT_BTID, OPT_IMPI, OPT_NAF_FQDN, OPT_UA_ID, OPT_AAA_SPI, OPT_MN_SPI, OPT_STATIC_SPI, OPT_STATIC_ALG,
	OPT_STATIC_KEY_FILE, OPT_STATIC_KEY, OPT_NAI, OPT_REREGS, OPT_INTERVAL, OPT_NO_DEREG, OPT_STEP_CMD, OPT_LOAD, OPT_MNS,
	OPT_RATE, OPT_WINDOW, OPT_REREG_PCT, OPT_COUNT, OPT_DURATION, OPT_PRIME, OPT_DEREG, OPT_MAKE_STORE,
	OPT_SUBSCRIBER, OPT_BSF, OPT_BSF_REALM, OPT_BSF_CA, OPT_BSF_ADDRESS, OPT_BSF_TIMEOUT, OPT_UB_ONLY, OPT_UB_ANSWER_DELAY,
	OPT_BSF_DOMAIN, OPT_OUT_MN, OPT_OUT_BSF, OPT_IMPI_PREFIX, OPT_IMPI_REALM, OPT_FIRST, OPT_EXPIRY, OPT_APPEND, OPT_MILENAGE,
	OPT_VERSION, OPT_FA, OPT_FA_SPI, OPT_FA_ALG, OPT_FA_KEY, OPT_FA_KEY_FILE, OPT_STAY, OPT_REVERSE_TUNNEL, OPT_TUN,
	OPT_TUN_DEVICE, OPT_HANDOVER,
};

static const struct option long_opts[] = {
	{"ha", required_argument, NULL, OPT_HA},
	{"bind", required_argument, NULL, OPT_BIND},
	{"coa", required_argument, NULL, OPT_COA},
	{"home-addr", required_argument, NULL, OPT_HOME},
	{"lifetime", required_argument, NULL, OPT_LIFETIME},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"timeout-max", required_argument, NULL, OPT_TIMEOUT_MAX},
	{"retries", required_argument, NULL, OPT_RETRIES},
	{"clock-offset", required_argument, NULL, OPT_CLOCK_OFFSET},
	{"json", no_argument, NULL, OPT_JSON},
	{"verbose", no_argument, NULL, 'v'},
	{"method", required_argument, NULL, OPT_METHOD},
	{"store", required_argument, NULL, OPT_STORE},
	{"btid", required_argument, NULL, OPT_BTID},
	{"impi", required_argument, NULL, OPT_IMPI},
	{"naf-fqdn", required_argument, NULL, OPT_NAF_FQDN},
	{"ua-id", required_argument, NULL, OPT_UA_ID},
	{"aaa-spi", required_argument, NULL, OPT_AAA_SPI},
	{"mn-spi", required_argument, NULL, OPT_MN_SPI},
	{"static-spi", required_argument, NULL, OPT_STATIC_SPI},
	{"static-alg", required_argument, NULL, OPT_STATIC_ALG},
	{"static-key-file", required_argument, NULL, OPT_STATIC_KEY_FILE},
	{"static-key", required_argument, NULL, OPT_STATIC_KEY},
	{"nai", required_argument, NULL, OPT_NAI},
	{"reregs", required_argument, NULL, OPT_REREGS},
	{"interval", required_argument, NULL, OPT_INTERVAL},
	{"no-dereg", no_argument, NULL, OPT_NO_DEREG},
	{"step-cmd", required_argument, NULL, OPT_STEP_CMD},
	{"reverse-tunnel", no_argument, NULL, OPT_REVERSE_TUNNEL},
	{"tun", no_argument, NULL, OPT_TUN},
	{"tun-device", required_argument, NULL, OPT_TUN_DEVICE},
	{"handover", required_argument, NULL, OPT_HANDOVER},
	{"load", no_argument, NULL, OPT_LOAD},
	{"mns", required_argument, NULL, OPT_MNS},
	{"rate", required_argument, NULL, OPT_RATE},
	{"window", required_argument, NULL, OPT_WINDOW},
	{"rereg-pct", required_argument, NULL, OPT_REREG_PCT},
	{"count", required_argument, NULL, OPT_COUNT},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"prime", no_argument, NULL, OPT_PRIME},
	{"dereg", no_argument, NULL, OPT_DEREG},
	{"make-store", required_argument, NULL, OPT_MAKE_STORE},
	{"subscriber", required_argument, NULL, OPT_SUBSCRIBER},
	{"bsf", required_argument, NULL, OPT_BSF},
	{"bsf-realm", required_argument, NULL, OPT_BSF_REALM},
	{"bsf-ca", required_argument, NULL, OPT_BSF_CA},
	{"bsf-address", required_argument, NULL, OPT_BSF_ADDRESS},
	{"bsf-timeout", required_argument, NULL, OPT_BSF_TIMEOUT},
	{"ub-only", no_argument, NULL, OPT_UB_ONLY},
	{"ub-answer-delay", required_argument, NULL, OPT_UB_ANSWER_DELAY},
	{"bsf-domain", required_argument, NULL, OPT_BSF_DOMAIN},
	{"out-mn", required_argument, NULL, OPT_OUT_MN},
	{"out-bsf", required_argument, NULL, OPT_OUT_BSF},
	{"impi-prefix", required_argument, NULL, OPT_IMPI_PREFIX},
	{"impi-realm", required_argument, NULL, OPT_IMPI_REALM},
	{"first", required_argument, NULL, OPT_FIRST},
	{"expiry", required_argument, NULL, OPT_EXPIRY},
	{"append", no_argument, NULL, OPT_APPEND},
	{"milenage", required_argument, NULL, OPT_MILENAGE},
	{"fa", required_argument, NULL, OPT_FA},
	{"fa-spi", required_argument, NULL, OPT_FA_SPI},
	{"fa-alg", required_argument, NULL, OPT_FA_ALG},
	{"fa-key", required_argument, NULL, OPT_FA_KEY},
	{"fa-key-file", required_argument, NULL, OPT_FA_KEY_FILE},
	{"stay", required_argument, NULL, OPT_STAY},
	{"reverse", no_argument, NULL, OPT_REVERSE_TUNNEL},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

static bool fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

static bool parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == ' ')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_uns(const char *s, unsigned min, unsigned max, unsigned *out)
{
	uint64_t v;

	if (!parse_u64(s, min, max, &v))
		return false;
	*out = (unsigned)v;
	return true;
}

static bool parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || errno || *end || !isfinite(v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_addr(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*out = a.s_addr;
	return true;
}

static bool parse_sockaddr(const char *s, uint16_t default_port, struct sockaddr_in *sa)
{
	char host[INET_ADDRSTRLEN];
	const char *colon = strchr(s, ':');
	size_t hl = colon ? (size_t)(colon - s) : strlen(s);
	unsigned port = default_port;

	if (hl == 0 || hl >= sizeof(host))
		return false;
	memcpy(host, s, hl);
	host[hl] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (!parse_addr(host, &sa->sin_addr.s_addr))
		return false;
	if (colon && !parse_uns(colon + 1, 0, 65535, &port))
		return false;
	sa->sin_port = htons((uint16_t)port);
	return true;
}

static bool parse_key_hex(const char *s, uint8_t *key, size_t cap, size_t *len)
{
	return *s != '\0' && OPENSSL_hexstr2buf_ex(key, cap, len, s, '\0') == 1;
}

/* A hex key on one line of a file others cannot access, into key[AUTH_MAX_LEN]. */
static bool read_key_file(const char *opt, const char *path, uint8_t *key, size_t *key_len, char *err, size_t errlen)
{
	char buf[2 * AUTH_MAX_LEN + 8];
	struct stat st;
	ssize_t n;
	bool ok;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail(err, errlen, "--%s: %s: %s", opt, path, strerror(errno));
	if (fstat(fd, &st) != 0 || (st.st_mode & S_IRWXO)) {
		close(fd);
		return fail(err, errlen, "--%s: %s: accessible by others, refusing", opt, path);
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return fail(err, errlen, "--%s: %s: %s", opt, path, strerror(errno));
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	ok = parse_key_hex(buf, key, AUTH_MAX_LEN, key_len);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (!ok)
		return fail(err, errlen, "--%s: %s: not a hex key of 1-%d octets", opt, path, AUTH_MAX_LEN);
	return true;
}

/* "K OP" (32 hex digits each) from a file others cannot read. */
static bool read_milenage_file(const char *path, struct mn_opts *o, char *err, size_t errlen)
{
	char buf[256], k[40], op[40];
	struct stat st;
	size_t len;
	ssize_t n;
	bool ok;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail(err, errlen, "--milenage: %s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || (st.st_mode & S_IRWXO)) {
		close(fd);
		return fail(err, errlen, "--milenage: %s: accessible by others, refusing", path);
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return fail(err, errlen, "--milenage: %s: %s", path, strerror(errno));
	buf[n] = '\0';
	ok = sscanf(buf, "%39s %39s", k, op) == 2 && parse_key_hex(k, o->k, sizeof(o->k), &len) &&
	     len == 16 && parse_key_hex(op, o->op, sizeof(o->op), &len) && len == 16;
	OPENSSL_cleanse(buf, sizeof(buf));
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(op, sizeof(op));
	if (!ok)
		return fail(err, errlen, "--milenage: %s: want K and OP, 32 hex digits each", path);
	o->milenage = true;
	return true;
}

static void defaults(struct mn_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->ha.sin_family = AF_INET;
	o->ha.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	o->ha.sin_port = htons(REG_PORT);
	o->bind.sin_family = AF_INET;
	o->bind.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	o->lifetime = 300;
	o->timeout_ms = 1000;
	o->timeout_max_ms = 8000;
	o->retries = 3;
	o->method = 1;
	o->static_alg = AUTH_HMAC_MD5;
	o->fa_alg = AUTH_HMAC_MD5;
	o->reregs = 1;
	o->window = 64;
	o->impi_prefix = "mn";
	o->impi_realm = "ims.lab.example";
	o->expiry = 86400;
	o->bsf_timeout_ms = 5000;
}

static bool apply(struct mn_opts *o, int c, const char *a, const char *name, char *err, size_t errlen)
{
	uint64_t v64;

	switch (c) {
	case OPT_HA:
		if (!parse_sockaddr(a, REG_PORT, &o->ha) || o->ha.sin_port == 0)
			return fail(err, errlen, "--%s: not an IPv4 ADDR[:PORT]: '%s'", name, a);
		return true;
	case OPT_BIND:
		if (!parse_sockaddr(a, 0, &o->bind))
			return fail(err, errlen, "--%s: not an IPv4 ADDR[:PORT]: '%s'", name, a);
		return true;
	case OPT_COA:
		if (!parse_addr(a, &o->coa))
			return fail(err, errlen, "--%s: not an IPv4 address: '%s'", name, a);
		return true;
	case OPT_HOME:
		if (!parse_addr(a, &o->home_addr))
			return fail(err, errlen, "--%s: not an IPv4 address: '%s'", name, a);
		return true;
	case OPT_LIFETIME:
		if (!parse_uns(a, 1, 65534, &o->lifetime))
			return fail(err, errlen, "--%s: want 1-65534 seconds: '%s'", name, a);
		return true;
	case OPT_TIMEOUT:
		if (!parse_uns(a, 1, 600000, &o->timeout_ms))
			return fail(err, errlen, "--%s: want 1-600000 ms: '%s'", name, a);
		return true;
	case OPT_TIMEOUT_MAX:
		if (!parse_uns(a, 1, 600000, &o->timeout_max_ms))
			return fail(err, errlen, "--%s: want 1-600000 ms: '%s'", name, a);
		return true;
	case OPT_RETRIES:
		if (!parse_uns(a, 0, 100, &o->retries))
			return fail(err, errlen, "--%s: want 0-100: '%s'", name, a);
		return true;
	case OPT_CLOCK_OFFSET: {
		char *end;

		errno = 0;
		o->clock_offset = strtol(a, &end, 10);
		if (!*a || *end || errno || o->clock_offset < -86400 || o->clock_offset > 86400)
			return fail(err, errlen, "--%s: want -86400..86400 seconds: '%s'", name, a);
		return true;
	}
	case OPT_JSON: o->json = true; return true;
	case 'v': o->verbose = true; return true;
	case OPT_METHOD:
		if (!parse_uns(a, 1, 2, &o->method))
			return fail(err, errlen, "--%s: want 1 or 2: '%s'", name, a);
		return true;
	case OPT_STORE: o->store = a; return true;
	case OPT_BTID: o->btid = a; return true;
	case OPT_IMPI: o->impi = a; return true;
	case OPT_NAF_FQDN: o->naf_fqdn = a; return true;
	case OPT_UA_ID:
		if (!gba_ua_id_parse(a, o->ua_id))
			return fail(err, errlen, "--%s: want 10 hex digits: '%s'", name, a);
		o->ua_id_set = true;
		return true;
	case OPT_AAA_SPI:
	case OPT_MN_SPI:
	case OPT_STATIC_SPI:
		if (!parse_u64(a, REG_SPI_MIN, UINT32_MAX, &v64))
			return fail(err, errlen, "--%s: want an SPI of 256-4294967295: '%s'", name, a);
		if (c == OPT_AAA_SPI)
			o->aaa_spi = (uint32_t)v64;
		else if (c == OPT_MN_SPI)
			o->mn_spi = (uint32_t)v64;
		else {
			o->static_spi = (uint32_t)v64;
			o->static_mode = true;
		}
		return true;
	case OPT_STATIC_ALG:
		if (!auth_alg_parse(a, &o->static_alg))
			return fail(err, errlen, "--%s: want hmac-md5, hmac-sha1 or hmac-sha256: '%s'", name, a);
		return true;
	case OPT_STATIC_KEY_FILE:
		return read_key_file(name, a, o->static_key, &o->static_key_len, err, errlen);
	case OPT_FA: o->fa_iface = a; return true;
	case OPT_FA_SPI:
		if (!parse_u64(a, REG_SPI_MIN, UINT32_MAX, &v64))
			return fail(err, errlen, "--%s: want an SPI of 256-4294967295: '%s'", name, a);
		o->fa_spi = (uint32_t)v64;
		return true;
	case OPT_FA_ALG:
		if (!auth_alg_parse(a, &o->fa_alg) || o->fa_alg == AUTH_HMAC_SHA256)
			return fail(err, errlen, "--%s: want hmac-md5 or hmac-sha1: '%s'", name, a);
		return true;
	case OPT_FA_KEY:
		if (!parse_key_hex(a, o->fa_key, sizeof(o->fa_key), &o->fa_key_len))
			return fail(err, errlen, "--%s: not a hex key of 1-%d octets", name, AUTH_MAX_LEN);
		return true;
	case OPT_FA_KEY_FILE:
		return read_key_file(name, a, o->fa_key, &o->fa_key_len, err, errlen);
	case OPT_STAY:
		if (!parse_double(a, 0.001, 86400, &o->stay))
			return fail(err, errlen, "--%s: want 0.001-86400 seconds: '%s'", name, a);
		return true;
	case OPT_STATIC_KEY:
		if (!parse_key_hex(a, o->static_key, sizeof(o->static_key), &o->static_key_len))
			return fail(err, errlen, "--%s: not a hex key of 1-%d octets", name, AUTH_MAX_LEN);
		return true;
	case OPT_NAI:
		if (!*a || strlen(a) > REG_NAI_MAX)
			return fail(err, errlen, "--%s: want 1-%d characters", name, REG_NAI_MAX);
		o->nai = a;
		return true;
	case OPT_REREGS:
		if (!parse_uns(a, 0, 1000000, &o->reregs))
			return fail(err, errlen, "--%s: want 0-1000000: '%s'", name, a);
		return true;
	case OPT_INTERVAL:
		if (!parse_uns(a, 0, 3600000, &o->interval_ms))
			return fail(err, errlen, "--%s: want 0-3600000 ms: '%s'", name, a);
		return true;
	case OPT_NO_DEREG: o->no_dereg = true; return true;
	case OPT_STEP_CMD: o->step_cmd = a; return true;
	case OPT_REVERSE_TUNNEL: o->reverse_tunnel = true; return true;
	case OPT_TUN: o->tun = true; return true;
	case OPT_TUN_DEVICE:
		if (!*a || strlen(a) >= 16 || strchr(a, '/') || strchr(a, ' '))
			return fail(err, errlen, "--%s: not an interface name: '%s'", name, a);
		o->tun_device = a;
		return true;
	case OPT_HANDOVER:
		if (!*a || strlen(a) >= 16)
			return fail(err, errlen, "--%s: want an interface name or an IPv4 address: '%s'", name, a);
		o->handover = a;
		return true;
	case OPT_LOAD: o->load = true; return true;
	case OPT_MNS:
		if (!parse_uns(a, 1, MN_MAX_NODES_OPT, &o->mns))
			return fail(err, errlen, "--%s: want 1-%u: '%s'", name, MN_MAX_NODES_OPT, a);
		return true;
	case OPT_RATE:
		if (!parse_double(a, 0, 10e6, &o->rate))
			return fail(err, errlen, "--%s: want 0-10000000 per second: '%s'", name, a);
		return true;
	case OPT_WINDOW:
		if (!parse_uns(a, 1, 65536, &o->window))
			return fail(err, errlen, "--%s: want 1-65536: '%s'", name, a);
		return true;
	case OPT_REREG_PCT:
		if (!parse_uns(a, 0, 100, &o->rereg_pct))
			return fail(err, errlen, "--%s: want 0-100: '%s'", name, a);
		return true;
	case OPT_COUNT:
		if (!parse_u64(a, 1, UINT64_MAX / 2, &o->count))
			return fail(err, errlen, "--%s: want a positive count: '%s'", name, a);
		return true;
	case OPT_DURATION:
		if (!parse_double(a, 0.001, 86400 * 365, &o->duration))
			return fail(err, errlen, "--%s: want seconds > 0: '%s'", name, a);
		return true;
	case OPT_PRIME: o->prime = true; return true;
	case OPT_DEREG: o->dereg_at_end = true; return true;
	case OPT_MAKE_STORE:
		if (!parse_uns(a, 1, 10000000, &o->make_store))
			return fail(err, errlen, "--%s: want 1-10000000 entries: '%s'", name, a);
		return true;
	case OPT_SUBSCRIBER: o->subscriber = a; return true;
	case OPT_BSF:
		if (!httpc_url_parse(a, &o->bsf_url))
			return fail(err, errlen, "--%s: not http://HOST[:PORT][/PATH] or https://...: '%s'", name, a);
		o->bsf = a;
		return true;
	case OPT_BSF_REALM:
		if (!*a || strlen(a) > 255 || strpbrk(a, " \t\"\\") != NULL)
			return fail(err, errlen, "--%s: want 1-255 characters without blanks or quotes", name);
		o->bsf_realm = a;
		return true;
	case OPT_BSF_CA: o->bsf_ca = a; return true;
	case OPT_BSF_ADDRESS:
		if (!*a || strlen(a) > 255)
			return fail(err, errlen, "--%s: want an address or host name", name);
		o->bsf_address = a;
		return true;
	case OPT_BSF_TIMEOUT:
		if (!parse_uns(a, 1, 600000, &o->bsf_timeout_ms))
			return fail(err, errlen, "--%s: want 1-600000 ms: '%s'", name, a);
		return true;
	case OPT_UB_ONLY: o->ub_only = true; return true;
	case OPT_UB_ANSWER_DELAY:
		if (!parse_uns(a, 0, 600000, &o->ub_answer_delay_ms))
			return fail(err, errlen, "--%s: want 0-600000 ms: '%s'", name, a);
		return true;
	case OPT_BSF_DOMAIN: o->bsf_domain = a; return true;
	case OPT_OUT_MN: o->out_mn = a; return true;
	case OPT_OUT_BSF: o->out_bsf = a; return true;
	case OPT_IMPI_PREFIX: o->impi_prefix = a; return true;
	case OPT_IMPI_REALM: o->impi_realm = a; return true;
	case OPT_FIRST:
		if (!parse_uns(a, 0, 100000000, &o->first))
			return fail(err, errlen, "--%s: want 0-100000000: '%s'", name, a);
		return true;
	case OPT_EXPIRY: {
		char *end;

		errno = 0;
		o->expiry = strtol(a, &end, 10);
		if (!*a || *end || errno || o->expiry < -315360000 || o->expiry > 315360000)
			return fail(err, errlen, "--%s: want seconds (may be negative): '%s'", name, a);
		return true;
	}
	case OPT_APPEND: o->append = true; return true;
	case OPT_MILENAGE: return read_milenage_file(a, o, err, errlen);
	}
	return fail(err, errlen, "unknown option");
}

/* What --naf-fqdn, --ua-id and the SPIs default to depends on the method. */
static void method_defaults(struct mn_opts *o)
{
	static const uint8_t ua1[GBA_UA_ID_LEN] = GBA_UA_ID_MIP4, ua2[GBA_UA_ID_LEN] = GBA_UA_ID_MIP4_HA;
	bool m2 = o->method == 2;

	if (!o->naf_fqdn)
		o->naf_fqdn = m2 ? "ha.lab.example" : "aaa.lab.example";
	if (!o->ua_id_set)
		memcpy(o->ua_id, m2 ? ua2 : ua1, GBA_UA_ID_LEN);
	if (!o->mn_spi)
		o->mn_spi = m2 ? MN_METHOD2_SPI : 4096;
	if (!o->aaa_spi && !m2)
		o->aaa_spi = 256;
}

static bool check(struct mn_opts *o, char *err, size_t errlen)
{
	if (!o->subscriber != !o->bsf)
		return fail(err, errlen, "--subscriber and --bsf go together (the USIM and its BSF)");
	if (o->subscriber && !o->bsf_realm)
		o->bsf_realm = o->bsf_url.host;
	if (o->ub_only && !o->subscriber)
		return fail(err, errlen, "--ub-only needs --subscriber FILE and --bsf URL");
	if (o->ub_only && (o->load || o->make_store))
		return fail(err, errlen, "--ub-only excludes --load and --make-store");
	if (o->make_store && o->subscriber) {
		if (!o->out_mn || o->bsf_domain)
			return fail(err, errlen, "--make-store with --subscriber needs --out-mn (and takes the B-TIDs' domain "
			                         "from the BSF, not --bsf-domain)");
		return true;
	}
	if (o->make_store) {
		if (!o->bsf_domain || !o->out_mn || !o->out_bsf)
			return fail(err, errlen, "--make-store needs --bsf-domain, --out-mn and --out-bsf");
		return true;
	}
	if (o->static_mode && (o->store || o->subscriber))
		return fail(err, errlen, "--static-spi excludes --store and --subscriber");
	if (o->store && o->subscriber)
		return fail(err, errlen, "--store and --subscriber exclude each other");
	if (o->subscriber && o->btid)
		return fail(err, errlen, "--btid is for --store (with --subscriber the B-TID comes from the BSF)");
	if (o->static_mode && o->method == 2)
		return fail(err, errlen, "--method 2 is GBA: it needs --store or --subscriber, not --static-spi");
	if (o->method == 2 && o->aaa_spi)
		return fail(err, errlen, "--aaa-spi is for method 1 (method 2 has no MN-AAA extension)");
	method_defaults(o);
	if (!o->static_mode && !o->store && !o->subscriber)
		return fail(err, errlen, "need --store FILE or --subscriber FILE --bsf URL (GBA), or --static-spi SPI "
		                         "(static association)");
	if (o->static_mode && o->static_key_len == 0)
		return fail(err, errlen, "static mode needs --static-key-file FILE or --static-key HEX");
	if (o->static_mode && o->home_addr == 0)
		return fail(err, errlen, "static mode needs --home-addr");
	if (o->method == 2 && o->home_addr == 0)
		return fail(err, errlen, "--method 2 needs --home-addr (without an AAA nobody assigns one)");
	if (o->btid && o->impi)
		return fail(err, errlen, "--btid and --impi exclude each other");
	if (o->load && o->step_cmd)
		return fail(err, errlen, "--step-cmd is for one node, not --load");
	if (o->load && o->tun)
		return fail(err, errlen, "--tun is for one node, not --load");
	if (o->handover && !o->tun)
		return fail(err, errlen, "--handover needs --tun");
	if (o->tun_device && !o->tun)
		return fail(err, errlen, "--tun-device needs --tun");
	if (o->load && (o->btid || o->impi))
		return fail(err, errlen, "--btid/--impi are for one node, not --load");
	if (o->timeout_max_ms < o->timeout_ms)
		return fail(err, errlen, "--timeout-max must not be below --timeout");
	if (o->static_mode && o->rereg_pct && !o->load)
		return fail(err, errlen, "--rereg-pct is a --load option");
	uint8_t id[GBA_NAF_ID_MAX];
	if (!o->static_mode && gba_naf_id(o->naf_fqdn, o->ua_id, id, sizeof(id)) == 0)
		return fail(err, errlen, "--naf-fqdn: not a DNS name: '%s'", o->naf_fqdn);
	if ((o->fa_spi != 0) != (o->fa_key_len != 0))
		return fail(err, errlen, "an MN-FA association needs both --fa-spi and --fa-key or --fa-key-file");
	if (o->fa_spi && !o->fa_iface)
		return fail(err, errlen, "--fa-spi is for registrations through a foreign agent (--fa)");
	if (o->reverse_tunnel && !o->fa_iface && !o->tun)
		return fail(err, errlen, "--reverse-tunnel is for --tun (co-located) or --fa (through a foreign agent)");
	if (o->stay && (o->load || !o->fa_iface))
		return fail(err, errlen, "--stay is for one node through a foreign agent (--fa without --load)");
	if (o->fa_iface) {
		if (o->coa)
			return fail(err, errlen, "--coa and --fa exclude each other: the agent offers the care-of address");
		if (!o->static_mode && o->method != 2 && !o->fa_spi && o->mn_spi == UINT32_MAX)
			return fail(err, errlen, "--mn-spi: through a foreign agent the MN-FA KeyGen Request uses "
			                         "--mn-spi + 1: at most 4294967294");
		/* Replies come to each node's home address on this link. */
		if (o->bind.sin_addr.s_addr == htonl(INADDR_LOOPBACK))
			o->bind.sin_addr.s_addr = htonl(INADDR_ANY);
		return true;
	}
	if (o->coa == 0)
		o->coa = o->bind.sin_addr.s_addr;
	return true;
}

enum mn_opts_result mn_opts_parse(int argc, char **argv, struct mn_opts *o, char *err, size_t errlen)
{
	int c, li;

	defaults(o);
	opterr = 0;
	optind = 1;
	while ((li = -1, c = getopt_long(argc, argv, ":hv", long_opts, &li)) != -1) {
		const char *name = li >= 0 ? long_opts[li].name : "?";

		if (c == 'h') {
			mn_opts_usage(stdout);
			return MN_OPTS_EXIT_OK;
		}
		if (c == OPT_VERSION) {
			printf("mip4-mn %s\n", MIP4_VERSION);
			return MN_OPTS_EXIT_OK;
		}
		if (c == '?') {
			if (optopt)
				fail(err, errlen, "unknown option '-%c'", optopt);
			else
				fail(err, errlen, "unknown option '%s'", argv[optind - 1]);
			return MN_OPTS_ERROR;
		}
		if (c == ':') {
			fail(err, errlen, "option '%s' needs a value", argv[optind - 1]);
			return MN_OPTS_ERROR;
		}
		if (!apply(o, c, optarg, name, err, errlen))
			return MN_OPTS_ERROR;
	}
	if (optind < argc) {
		fail(err, errlen, "unexpected argument '%s'", argv[optind]);
		return MN_OPTS_ERROR;
	}
	return check(o, err, errlen) ? MN_OPTS_RUN : MN_OPTS_ERROR;
}

void mn_opts_clear(struct mn_opts *o)
{
	OPENSSL_cleanse(o->static_key, sizeof(o->static_key));
	OPENSSL_cleanse(o->fa_key, sizeof(o->fa_key));
	OPENSSL_cleanse(o->k, sizeof(o->k));
	OPENSSL_cleanse(o->op, sizeof(o->op));
}
