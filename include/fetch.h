/* fetch.h - fetch many URLs at once over http(s) with libcurl's multi interface. */
#ifndef NERPIPE_FETCH_H
#define NERPIPE_FETCH_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "err.h"

/* Limits and politeness.  fetch_opts_init fills in the defaults given in
 * ner-fetch(1); times are in milliseconds unless named otherwise. */
struct fetch_opts {
	long jobs;		/* transfers at once */
	long per_host;		/* transfers at once to one host */
	long delay_ms;		/* between request starts to one host */
	long retries;		/* extra attempts after a retryable failure */
	long retry_ms;		/* first backoff; doubles on each retry */
	long max_wait_ms;	/* cap on one backoff or Retry-After wait */
	long connect_timeout_ms;
	long timeout_ms;	/* whole transfer, per attempt */
	long low_speed;		/* bytes/s below which ... */
	long low_speed_time;	/* ... for this many seconds aborts */
	long max_redirs;	/* 0 to 10 */
	size_t max_bytes;	/* body cap, after content decoding */
	const char *user_agent;
};

void fetch_opts_init(struct fetch_opts *o);

/* The outcome of one URL.  Owned by the fetcher: valid only during the
 * fetch_done_fn call (a callee that wants to keep body moves it out and
 * leaves BUF_INIT behind). */
struct fetch_result {
	const char *url;	/* as requested */
	const char *final_url;	/* after redirects, or NULL */
	long status;		/* last HTTP status, 0 when none */
	const char *content_type;	/* or NULL */
	struct buf body;	/* the response body (also of an error page) */
	struct buf headers;	/* every response's header lines */
	const char *error;	/* NULL on success, else why it failed */
	time_t fetched;		/* when the last attempt ended */
	int attempts;
};

/* Called once per URL as it completes, in completion order; i is its
 * index in the urls array.  Returns 0 to go on, nonzero to stop all
 * transfers (fetch_all then returns that value). */
typedef int fetch_done_fn(size_t i, struct fetch_result *r, void *arg);

/* Fetch urls[0..n) under the limits in o, calling done for each.  Only
 * http and https are allowed, on the first request and on every
 * redirect.  Returns 0, the nonzero value a done call returned, or -1
 * when libcurl could not be set up or failed (e then says why, with
 * EX_SOFTWARE).  A URL that fails is no error of fetch_all: its result
 * says why, in error. */
int fetch_all(const struct fetch_opts *o, const char *const *urls, size_t n,
	      fetch_done_fn *done, void *arg, struct err *e);

/* The host part of url, lower-cased, as a new string; NULL when url does
 * not parse. */
char *fetch_host(const char *url);

#endif
