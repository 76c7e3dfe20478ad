/* fetch.c - polite concurrent http(s) fetching with libcurl's multi interface. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>

#include <curl/curl.h>

#include "alloc.h"
#include "diag.h"
#include "fetch.h"

/* Longest wait of the poll loop, so that timers are checked often enough
 * without spinning. */
#define POLL_MS 1000

void fetch_opts_init(struct fetch_opts *o)
{
	o->jobs = 4;
	o->per_host = 2;
	o->delay_ms = 1000;
	o->retries = 2;
	o->retry_ms = 1000;
	o->max_wait_ms = 60000;
	o->connect_timeout_ms = 10000;
	o->timeout_ms = 60000;
	o->low_speed = 100;
	o->low_speed_time = 30;
	o->max_redirs = 10;
	o->max_bytes = 10u << 20;
	o->user_agent = "nerpipe";
}

struct host {
	char *name;
	long active;
	long long next_ms;	/* no new request before this time */
};

enum job_state { J_WAIT, J_RUN, J_DONE };

struct job {
	enum job_state state;
	const char *url;
	struct host *host;	/* NULL when the URL is refused up front */
	int attempts;
	long long not_before;
	long retry_after_ms;	/* from the last response, or -1 */
	int too_big;
	size_t max_bytes;
	CURL *easy;
	struct fetch_result res;
	char *final_url, *content_type, *error;
	char errbuf[CURL_ERROR_SIZE];
};

struct fetcher {
	const struct fetch_opts *o;
	CURLM *multi;
	struct job *jobs;
	size_t njobs, first_open;	/* jobs before first_open are done */
	struct host *hosts;
	size_t nhosts;
	long active;
	fetch_done_fn *done;
	void *arg;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *fetch_host(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *r = NULL;

	if (!u)
		diag_oom();
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		r = xstrdup(host);
		for (char *p = r; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	curl_free(host);
	curl_url_cleanup(u);
	return r;
}

/* Why url cannot be fetched at all, or NULL when it can. */
static const char *url_refusal(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL;
	const char *why = NULL;

	if (!u)
		diag_oom();
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		why = "malformed URL";
	else if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0)
		why = "only http and https URLs are fetched";
	curl_free(scheme);
	curl_url_cleanup(u);
	return why;
}

static struct host *host_get(struct fetcher *f, const char *url)
{
	char *name = fetch_host(url);

	if (!name)
		return NULL;
	for (size_t i = 0; i < f->nhosts; i++)
		if (strcmp(f->hosts[i].name, name) == 0) {
			free(name);
			return &f->hosts[i];
		}
	/* hosts was sized for one per URL, so this never moves */
	f->hosts[f->nhosts].name = name;
	f->hosts[f->nhosts].active = 0;
	f->hosts[f->nhosts].next_ms = 0;
	return &f->hosts[f->nhosts++];
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct job *j = arg;

	n *= size;
	/* libcurl hands over decoded bytes, so the cap also stops a small
	 * compressed body that inflates without end. */
	if (n > j->max_bytes - j->res.body.len) {
		j->too_big = 1;
		return 0;
	}
	buf_put(&j->res.body, p, n);
	return n;
}

/* Milliseconds a Retry-After value asks for (seconds or an HTTP date),
 * or -1. */
static long retry_after_ms(const char *v)
{
	char *end;
	long s;

	while (*v == ' ' || *v == '\t')
		v++;
	if (isdigit((unsigned char)*v)) {
		s = strtol(v, &end, 10);
		return s < 0 || s > 86400 ? 86400000 : s * 1000;
	}
	time_t t = curl_getdate(v, NULL);
	if (t < 0)
		return -1;
	t -= time(NULL);
	return t <= 0 ? 0 : t > 86400 ? 86400000 : (long)t * 1000;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct job *j = arg;

	n *= size;
	buf_put(&j->res.headers, p, n);
	if (n > 5 && strncmp(p, "HTTP/", 5) == 0) {
		j->retry_after_ms = -1;
	} else if (n > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		char *v = xmalloc(n - 11);
		memcpy(v, p + 12, n - 12);
		v[n - 12] = '\0';
		j->retry_after_ms = retry_after_ms(v);
		free(v);
	}
	return n;
}

static void job_reset(struct job *j)
{
	buf_reset(&j->res.headers);
	buf_reset(&j->res.body);
	free(j->final_url);
	free(j->content_type);
	free(j->error);
	j->final_url = j->content_type = j->error = NULL;
	j->too_big = 0;
	j->retry_after_ms = -1;
	j->errbuf[0] = '\0';
	j->res.status = 0;
}

static int job_setup(struct fetcher *f, struct job *j)
{
	const struct fetch_opts *o = f->o;
	CURL *e = curl_easy_init();

	if (!e)
		return -1;
	j->easy = e;
	curl_easy_setopt(e, CURLOPT_URL, j->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, o->max_redirs);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_time);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	return 0;
}

static int job_start(struct fetcher *f, struct job *j, long long now)
{
	job_reset(j);
	if (!j->easy && job_setup(f, j) < 0)
		return -1;
	if (curl_multi_add_handle(f->multi, j->easy) != CURLM_OK)
		return -1;
	j->state = J_RUN;
	j->attempts++;
	j->host->active++;
	j->host->next_ms = now + f->o->delay_ms;
	f->active++;
	return 0;
}

/* Start every waiting job whose turn it is, in input order.  Returns the
 * milliseconds until the next waiting job could start (POLL_MS at most),
 * or -1 on a libcurl failure. */
static long start_ready(struct fetcher *f)
{
	long long now = now_ms(), next = now + POLL_MS;

	for (size_t i = f->first_open; i < f->njobs; i++) {
		struct job *j = &f->jobs[i];
		if (j->state != J_WAIT)
			continue;
		long long at = j->not_before > j->host->next_ms ?
			       j->not_before : j->host->next_ms;
		if (at > now || f->active >= f->o->jobs ||
		    j->host->active >= f->o->per_host) {
			if (at > now && at < next)
				next = at;
			continue;
		}
		if (job_start(f, j, now) < 0)
			return -1;
	}
	return (long)(next - now);
}

static int retryable_code(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

static char *str_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *str_printf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Say why a finished attempt failed (j->error), or leave it NULL on
 * success.  Returns whether another attempt may help. */
static int job_judge(struct fetcher *f, struct job *j, CURLcode rc)
{
	long st = j->res.status;
	char *redirect = NULL;
	const char *why = *j->errbuf ? j->errbuf : curl_easy_strerror(rc);

	if (j->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		j->error = str_printf("body larger than %zu bytes",
				      f->o->max_bytes);
		return 0;
	}
	if (rc == CURLE_TOO_MANY_REDIRECTS) {
		j->error = str_printf("too many redirects (more than %ld)",
				      f->o->max_redirs);
		return 0;
	}
	if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
		/* the first URL was checked, so this came from a redirect */
		curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &redirect);
		if (!redirect)
			redirect = j->final_url;
		j->error = str_printf("refused redirect to %s: only http and "
				      "https are followed",
				      redirect ? redirect : "another protocol");
		return 0;
	}
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		j->error = str_printf("timed out: %s", why);
		return 1;
	}
	if (rc != CURLE_OK) {
		j->error = xstrdup(why);
		return retryable_code(rc);
	}
	if (st >= 400) {
		j->error = str_printf("HTTP status %ld", st);
		return st == 429 || st == 408 || st >= 500;
	}
	return 0;
}

/* Backoff before attempt number j->attempts + 1: the server's
 * Retry-After if it gave one, else retry_ms doubled per attempt; never
 * more than max_wait_ms. */
static long long backoff_ms(const struct fetch_opts *o, const struct job *j)
{
	long long w = j->retry_after_ms;

	if (w < 0) {
		w = o->retry_ms;
		for (int i = 1; i < j->attempts && w < o->max_wait_ms; i++)
			w *= 2;
	}
	return w < o->max_wait_ms ? w : o->max_wait_ms;
}

static void job_release(struct job *j)
{
	if (j->easy)
		curl_easy_cleanup(j->easy);
	j->easy = NULL;
	job_reset(j);
	buf_free(&j->res.body);
	buf_free(&j->res.headers);
}

/* Hand a finished job to the caller.  Returns what done returned. */
static int job_deliver(struct fetcher *f, struct job *j, size_t i)
{
	int ret;

	j->state = J_DONE;
	j->res.url = j->url;
	j->res.final_url = j->final_url;
	j->res.content_type = j->content_type;
	j->res.error = j->error;
	j->res.fetched = time(NULL);
	j->res.attempts = j->attempts;
	ret = f->done(i, &j->res, f->arg);
	job_release(j);
	while (f->first_open < f->njobs &&
	       f->jobs[f->first_open].state == J_DONE)
		f->first_open++;
	return ret;
}

static void job_info(struct job *j)
{
	char *s = NULL;

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &j->res.status);
	if (curl_easy_getinfo(j->easy, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK && s)
		j->final_url = xstrdup(s);
	s = NULL;
	if (curl_easy_getinfo(j->easy, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK && s)
		j->content_type = xstrdup(s);
}

/* An attempt ended: retry it later or deliver it. */
static int job_finish(struct fetcher *f, struct job *j, CURLcode rc)
{
	int again;

	curl_multi_remove_handle(f->multi, j->easy);
	f->active--;
	j->host->active--;
	job_info(j);
	again = job_judge(f, j, rc);
	if (again && j->attempts <= f->o->retries) {
		long long w = backoff_ms(f->o, j), now = now_ms();
		j->state = J_WAIT;
		j->not_before = now + w;
		/* a server that asked us to wait asked for the whole host */
		if (j->retry_after_ms >= 0 && j->host->next_ms < now + w)
			j->host->next_ms = now + w;
		return 0;
	}
	return job_deliver(f, j, (size_t)(j - f->jobs));
}

static int drain_messages(struct fetcher *f)
{
	CURLMsg *m;
	int left, ret;

	while ((m = curl_multi_info_read(f->multi, &left))) {
		struct job *j = NULL;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
		if ((ret = job_finish(f, j, m->data.result)) != 0)
			return ret;
	}
	return 0;
}

/* Jobs refused before any request (bad URL, other protocol) are
 * delivered at once with their reason. */
static int jobs_init(struct fetcher *f, const char *const *urls)
{
	int ret;

	for (size_t i = 0; i < f->njobs; i++) {
		struct job *j = &f->jobs[i];
		const char *why = url_refusal(urls[i]);
		j->url = urls[i];
		j->max_bytes = f->o->max_bytes;
		j->retry_after_ms = -1;
		if (!why)
			j->host = host_get(f, urls[i]);
		if (!why && !j->host)
			why = "malformed URL";
		if (why) {
			j->error = xstrdup(why);
			if ((ret = job_deliver(f, j, i)) != 0)
				return ret;
		}
	}
	return 0;
}

static int fetch_loop(struct fetcher *f, struct err *e)
{
	int running, ret;
	long wait;

	while (f->first_open < f->njobs) {
		if ((wait = start_ready(f)) < 0) {
			return err_set(e, EX_SOFTWARE, "libcurl: could not start "
				       "a transfer");
		}
		if (curl_multi_perform(f->multi, &running) != CURLM_OK) {
			return err_set(e, EX_SOFTWARE, "libcurl: "
				       "curl_multi_perform failed");
		}
		if ((ret = drain_messages(f)) != 0)
			return ret;
		if (f->first_open >= f->njobs)
			break;
		if (curl_multi_poll(f->multi, NULL, 0, (int)(wait > 0 ? wait : 1),
				    NULL) != CURLM_OK) {
			return err_set(e, EX_SOFTWARE, "libcurl: "
				       "curl_multi_poll failed");
		}
	}
	return 0;
}

int fetch_all(const struct fetch_opts *o, const char *const *urls, size_t n,
	      fetch_done_fn *done, void *arg, struct err *e)
{
	struct fetcher f = { o, NULL, NULL, n, 0, NULL, 0, 0, done, arg };
	int ret;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(e, EX_SOFTWARE, "libcurl: curl_global_init failed");
	f.multi = curl_multi_init();
	if (!f.multi) {
		curl_global_cleanup();
		return err_set(e, EX_SOFTWARE, "libcurl: curl_multi_init failed");
	}
	f.jobs = xcalloc(n, sizeof *f.jobs);
	f.hosts = xcalloc(n, sizeof *f.hosts);
	ret = jobs_init(&f, urls);
	if (ret == 0)
		ret = fetch_loop(&f, e);
	for (size_t i = 0; i < n; i++) {
		if (f.jobs[i].state == J_RUN)
			curl_multi_remove_handle(f.multi, f.jobs[i].easy);
		job_release(&f.jobs[i]);
	}
	for (size_t i = 0; i < f.nhosts; i++)
		free(f.hosts[i].name);
	free(f.hosts);
	free(f.jobs);
	curl_multi_cleanup(f.multi);
	curl_global_cleanup();
	return ret;
}
