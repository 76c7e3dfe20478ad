/* ner-fetch - fetch news pages and emit their main text as a document stream. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "diag.h"
#include "fetch.h"
#include "fetch_run.h"
#include "opt.h"
#include "page.h"
#include "version.h"

enum {
	OPT_PER_HOST = OPT_LONG, OPT_DELAY, OPT_RETRIES, OPT_RETRY_DELAY,
	OPT_MAX_WAIT, OPT_CONNECT_TIMEOUT, OPT_TIMEOUT, OPT_LOW_SPEED,
	OPT_LOW_SPEED_TIME, OPT_MAX_REDIRS, OPT_MAX_SIZE, OPT_SAVE,
	OPT_TEXT_DIR, OPT_NO_HEADLINE,
};

static const struct opt opts[] = {
	{ "jobs", 'j', "N", "transfers at once (4)" },
	{ "per-host", OPT_PER_HOST, "N", "transfers at once to one host (2)" },
	{ "delay", OPT_DELAY, "MS", "pause between requests to one host (1000)" },
	{ "retries", OPT_RETRIES, "N", "retries after a timeout, 429 or 5xx (2)" },
	{ "retry-delay", OPT_RETRY_DELAY, "MS",
	  "first retry backoff, doubled each time (1000)" },
	{ "max-wait", OPT_MAX_WAIT, "S", "longest backoff or Retry-After wait (60)" },
	{ "connect-timeout", OPT_CONNECT_TIMEOUT, "S", "connection timeout (10)" },
	{ "timeout", OPT_TIMEOUT, "S", "whole-transfer timeout per attempt (60)" },
	{ "low-speed", OPT_LOW_SPEED, "B", "abort below B bytes/s ... (100)" },
	{ "low-speed-time", OPT_LOW_SPEED_TIME, "S", "... for S seconds (30)" },
	{ "max-redirs", OPT_MAX_REDIRS, "N", "redirects to follow, 0 to 10 (10)" },
	{ "max-size", OPT_MAX_SIZE, "BYTES",
	  "largest body after decompression (10485760)" },
	{ "save", OPT_SAVE, "DIR", "keep raw bodies as DIR/ID.html, headers as\n"
				   "DIR/ID.headers" },
	{ "text-dir", OPT_TEXT_DIR, "DIR",
	  "write each article body (no headline) to DIR/ID.txt" },
	{ "no-headline", OPT_NO_HEADLINE, NULL, "leave the headline out of the text" },
	{ NULL, 0, NULL, NULL },
};

static const struct opt_prog cli = {
	.name = "ner-fetch",
	.usage = "[options] [URL | FILE.html ...]",
	.about = "Fetch pages (or read saved ones) and write their main text and metadata\n"
		 "as a ner-stream(5) document stream.  With no arguments, read URLs one\n"
		 "per line from standard input.\n",
	.opts = opts,
	.footer = "See ner-fetch(1).\n",
};

/* An option value as a count in [min, max], or die with EX_USAGE. */
static long opt_count(const char *name, const char *s, long min, long max)
{
	long v = opt_parse_count(s);

	if (v < min || v > max)
		diag_die(EX_USAGE, "--%s: expected a number from %ld to %ld, "
			 "not '%s'", name, min, max, s);
	return v;
}

/* Seconds, possibly fractional ("0.5"), as milliseconds. */
static long opt_seconds_ms(const char *name, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0 || v > 86400)
		diag_die(EX_USAGE, "--%s: expected seconds (0 to 86400), "
			 "not '%s'", name, s);
	return (long)(v * 1000 + 0.5);
}

static void parse_opts(int argc, char **argv, struct fetch_opts *o,
		       struct fetch_run_opts *r)
{
	int c;

	opt_start();
	while ((c = opt_next(&cli, argc, argv)) != -1) {
		switch (c) {
		case 'j': o->jobs = opt_count("jobs", optarg, 1, 256); break;
		case OPT_PER_HOST:
			o->per_host = opt_count("per-host", optarg, 1, 256);
			break;
		case OPT_DELAY:
			o->delay_ms = opt_count("delay", optarg, 0, 86400000);
			break;
		case OPT_RETRIES:
			o->retries = opt_count("retries", optarg, 0, 100);
			break;
		case OPT_RETRY_DELAY:
			o->retry_ms = opt_count("retry-delay", optarg, 0, 86400000);
			break;
		case OPT_MAX_WAIT:
			o->max_wait_ms = opt_seconds_ms("max-wait", optarg);
			break;
		case OPT_CONNECT_TIMEOUT:
			o->connect_timeout_ms =
				opt_seconds_ms("connect-timeout", optarg);
			break;
		case OPT_TIMEOUT:
			o->timeout_ms = opt_seconds_ms("timeout", optarg);
			break;
		case OPT_LOW_SPEED:
			o->low_speed = opt_count("low-speed", optarg, 0, 1L << 30);
			break;
		case OPT_LOW_SPEED_TIME:
			o->low_speed_time =
				opt_count("low-speed-time", optarg, 1, 86400);
			break;
		case OPT_MAX_REDIRS:
			o->max_redirs = opt_count("max-redirs", optarg, 0, 10);
			break;
		case OPT_MAX_SIZE:
			o->max_bytes = (size_t)opt_count("max-size", optarg, 1,
							 1L << 30);
			break;
		case OPT_SAVE: r->save_dir = optarg; break;
		case OPT_TEXT_DIR: r->text_dir = optarg; break;
		case OPT_NO_HEADLINE: r->no_headline = 1; break;
		case OPT_DONE: exit(diag_close_output(stdout, "standard output"));
		default: exit(EX_USAGE);
		}
	}
}

static void make_dir(const char *dir)
{
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		diag_die(EX_IOERR, "%s:", dir);
}

int main(int argc, char **argv)
{
	struct fetch_opts o;
	struct fetch_run_opts r = { NULL, NULL, 0 };
	int st, out;

	diag_init(argv[0]);
	diag_ignore_sigpipe();
	fetch_opts_init(&o);
	o.user_agent = "nerpipe/" NERPIPE_VERSION " (+ner-fetch)";
	parse_opts(argc, argv, &o, &r);
	if (r.save_dir)
		make_dir(r.save_dir);
	if (r.text_dir)
		make_dir(r.text_dir);
	st = fetch_run(&o, &r, optind < argc ? argv + optind : NULL,
		       (size_t)(argc - optind), stdin, stdout);
	out = diag_close_output(stdout, "standard output");
	return out != EX_OK ? out : st;
}
