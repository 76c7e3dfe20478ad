/* conf.c - parse pipeline.conf into stages and their arguments. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc.h"
#include "buf.h"
#include "err.h"
#include "conf.h"

static void add_word(struct conf_stage *s, const char *w, size_t n)
{
	s->argv = xrealloc(s->argv, (size_t)(s->argc + 2) * sizeof(*s->argv));
	s->argv[s->argc] = xmalloc(n + 1);
	memcpy(s->argv[s->argc], w, n);
	s->argv[s->argc][n] = '\0';
	s->argv[++s->argc] = NULL;
}

/* Split one line into words.  Returns NULL, or what is wrong. */
static const char *split_line(const char *p, struct conf_stage *s)
{
	struct buf w = BUF_INIT;
	const char *why = NULL;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			break;
		buf_reset(&w);
		while (*p && *p != ' ' && *p != '\t' && *p != '\r') {
			if (*p == '"' || *p == '\'') {
				const char *close = strchr(p + 1, *p);

				if (!close) {
					why = "unterminated quote";
					goto out;
				}
				buf_put(&w, p + 1, (size_t)(close - p - 1));
				p = close + 1;
			} else {
				buf_putc(&w, *p++);
			}
		}
		add_word(s, w.s ? w.s : "", w.len);
	}
out:
	buf_free(&w);
	return why;
}

static int is_stage_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(*s == '-' || *s == '_' || *s == '.' || *s == '/' ||
		      (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

int conf_parse(const char *text, const char *name, struct conf *c,
	       struct err *e)
{
	size_t lineno = 0;
	const char *p = text;

	memset(c, 0, sizeof(*c));
	c->path = xstrdup(name);
	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = xmalloc(n + 1);
		struct conf_stage s = { NULL, 0, ++lineno };
		const char *why;

		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (p[n] == '\n');
		why = memchr(line, '\0', n) ? "NUL byte" : split_line(line, &s);
		free(line);
		if (!why && s.argc > 0 && !is_stage_name(s.argv[0]))
			why = "a stage name is letters, digits, '-', '_', '.' or '/'";
		if (why) {
			err_set(e, EX_CONFIG, "%s:%zu: %s", name, lineno, why);
			for (int i = 0; i < s.argc; i++)
				free(s.argv[i]);
			free(s.argv);
			return -1;
		}
		if (s.argc == 0)
			continue;
		c->stages = xrealloc(c->stages, (c->n + 1) * sizeof(*c->stages));
		c->stages[c->n++] = s;
	}
	if (c->n == 0) {
		return err_set(e, EX_CONFIG, "%s: no stages", name);
	}
	return 0;
}

int conf_load(const char *path, struct conf *c, struct err *e)
{
	struct buf text = BUF_INIT;
	FILE *fp = fopen(path, "r");
	int st;

	memset(c, 0, sizeof(*c));
	if (!fp || buf_slurp(&text, fp) < 0) {
		err_set(e, EX_NOINPUT, "%s:", path);
		if (fp)
			fclose(fp);
		c->path = xstrdup(path);
		return -1;
	}
	fclose(fp);
	if (text.len && strlen(text.s) != text.len) {
		st = err_set(e, EX_CONFIG, "%s: NUL byte in the file", path);
		c->path = xstrdup(path);
	} else {
		st = conf_parse(text.s ? text.s : "", path, c, e);
	}
	buf_free(&text);
	return st;
}

void conf_free(struct conf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (int k = 0; k < c->stages[i].argc; k++)
			free(c->stages[i].argv[k]);
		free(c->stages[i].argv);
	}
	free(c->stages);
	free(c->path);
	memset(c, 0, sizeof(*c));
}
