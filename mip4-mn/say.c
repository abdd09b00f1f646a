/* mip4-mn's transcript and JSON strings (see say.h). */
#include "mip4-mn/say.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

void mn_say(const char *fmt, ...)
{
	struct timespec ts;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	flockfile(stderr);
	fprintf(stderr, "%02ld:%02ld:%02ld.%03ld mip4-mn: ", (long)(ts.tv_sec / 3600 % 24),
	        (long)(ts.tv_sec / 60 % 60), (long)(ts.tv_sec % 60), ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void mn_json_string(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}
