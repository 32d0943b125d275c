// SPDX-License-Identifier: GPL-2.0
#include "tools/repo-fetch.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

static int setup(CURL *c, const char *url, FILE *out, char *errbuf)
{
	return curl_easy_setopt(c, CURLOPT_URL, url) ||
	       curl_easy_setopt(c, CURLOPT_WRITEDATA, out) ||
	       curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) ||
	       curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L) ||
	       curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L) ||
	       curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L) ||
	       curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file") ||
	       curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") ||
	       curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)REPO_MAX_DOWNLOAD) ||
	       curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L) ||
	       /* Give up on a transfer slower than 1 KB/s for a minute. */
	       curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L) ||
	       curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
}

int repo_fetch(const char *url, const char *dst, char *why, size_t size)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	FILE *out = fopen(dst, "wbx");
	CURL *c = curl_easy_init();
	CURLcode rc = CURLE_FAILED_INIT;
	long http = 0;

	if (out && c && !setup(c, url, out, errbuf))
		rc = curl_easy_perform(c);
	if (c && rc == CURLE_HTTP_RETURNED_ERROR)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http);
	if (c)
		curl_easy_cleanup(c);
	if (!out) {
		snprintf(why, size, "cannot create %s", dst);
		return -1;
	}
	if (fclose(out) && rc == CURLE_OK) {
		snprintf(why, size, "cannot write %s", dst);
		return -1;
	}
	if (rc != CURLE_OK) {
		snprintf(why, size, "%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
		remove(dst);
		return http == 404 || rc == CURLE_FILE_COULDNT_READ_FILE ? -2 : -1;
	}
	return 0;
}
