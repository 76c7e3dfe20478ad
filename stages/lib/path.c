/* path.c - where the programs live and find their data (path.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "alloc.h"
#include "err.h"
#include "path.h"

#ifndef NERPIPE_DATADIR
#define NERPIPE_DATADIR "/usr/local/share/nerpipe"
#endif

static char *join(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(len);

	snprintf(p, len, "%s/%s", dir, name);
	return p;
}

char *path_beside_exe(const char *name)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return join(exe, name);
}

char *path_data(const char *name)
{
	const char *env = getenv("NERPIPE_DATA");
	char *dirs[3] = { NULL, NULL, NULL };
	char *found = NULL;

	if (strchr(name, '/'))
		return xstrdup(name);
	dirs[0] = env && *env ? xstrdup(env) : NULL;
	dirs[1] = path_beside_exe("../gazetteers");
	dirs[2] = xstrdup(NERPIPE_DATADIR);
	for (int i = 0; i < 3 && !found; i++) {
		if (!dirs[i])
			continue;
		char *p = join(dirs[i], name);
		if (access(p, F_OK) == 0)
			found = p;
		else
			free(p);
	}
	for (int i = 0; i < 3; i++)
		free(dirs[i]);
	return found ? found : xstrdup(name);
}

char *path_conf(void)
{
	const char *env = getenv("NERPIPE_CONF");
	char *p;

	if (env && *env)
		return xstrdup(env);
	p = path_beside_exe("../pipeline.conf");
	if (p && access(p, R_OK) == 0)
		return p;
	free(p);
	return xstrdup(NERPIPE_DATADIR "/pipeline.conf");
}

int path_is_url(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
			     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");

	return n > 0 && strncmp(s + n, "://", 3) == 0;
}

int path_load_file(const char *path, path_load_fn *load, void *arg,
		   struct err *e)
{
	int in = strcmp(path, "-") == 0;
	FILE *fp = in ? stdin : fopen(path, "r");
	int ret;

	if (!fp)
		return err_set(e, EX_NOINPUT, "%s:", path);
	struct stat st;

	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		err_set(e, EX_NOINPUT, "%s: is a directory", in ? "stdin" : path);
		if (!in)
			fclose(fp);
		return -1;
	}
	ret = load(fp, in ? "stdin" : path, arg, e);
	if (!in)
		fclose(fp);
	return ret < 0 ? -1 : 0;
}
