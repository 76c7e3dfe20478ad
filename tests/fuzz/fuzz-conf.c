/* fuzz-conf.c - the pipeline.conf parser. */
#include <stdlib.h>

#include "conf.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	struct err e;
	struct conf c = { 0 };

	if (conf_parse(text, "fuzz.conf", &c, &e) == 0)
		for (size_t i = 0; i < c.n; i++)
			if (!c.stages[i].argv[0] || c.stages[i].argv[c.stages[i].argc])
				abort();	/* argv must be NULL-terminated */
	conf_free(&c);
	free(text);
	return 0;
}
