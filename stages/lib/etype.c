/* etype.c - the table of entity types (etype.h). */
#include <stddef.h>
#include <string.h>

#include "etype.h"

const struct etype etype_builtin[] = {
	{ "PER", "person", "background:#cfe3ff;border-bottom:2px solid #3a6fc4",
	  ETYPE_GIVEN_FIRST | ETYPE_NAME_PARTS | ETYPE_TAKES_RANK },
	{ "RANK", "military rank",
	  "background:#ead7f7;border-bottom:2px dotted #7b3fa8", ETYPE_RANK },
	{ "LOC", "place", "background:#d3f2d3;border-bottom:2px dashed #2e8b2e",
	  ETYPE_ACRONYM | ETYPE_PLACE },
	{ "ORG", "organisation",
	  "background:#ffe2bf;border-bottom:2px double #c46f00",
	  ETYPE_ACRONYM | ETYPE_ACRONYM_NEW },
	{ NULL, NULL, NULL, 0 },
};

static const struct etype *table = etype_builtin;

void etype_use(const struct etype *t)
{
	table = t ? t : etype_builtin;
}

const struct etype *etype_all(void)
{
	return table;
}

const struct etype *etype_find(const char *name)
{
	for (const struct etype *t = table; t->name; t++)
		if (t->name[0] == name[0] && strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

unsigned etype_flags(const char *name)
{
	const struct etype *t = etype_find(name);

	return t ? t->flags : 0;
}

const char *etype_with(unsigned flags)
{
	for (const struct etype *t = table; t->name; t++)
		if ((t->flags & flags) == flags)
			return t->name;
	return NULL;
}
