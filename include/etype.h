/* etype.h - the entity types and what each of them does. */
#ifndef NERPIPE_ETYPE_H
#define NERPIPE_ETYPE_H

/*
 * One row a type.  A mention's type is any upper-case name a gazetteer
 * or a rule gives it; the types in the table have a policy, read by the
 * gazetteer compiler (gazbuild.c), the matcher (gaz.c), the linker
 * (stage_link.c) and the outputs (mention.c, stage_html.c), so that a new
 * type is one row here plus its data (gazetteer rows, rules).  A type
 * not in the table has no flag set and ner-html's common colour.
 */

/* Gazetteer entries of the type are found by their exact key only, not
 * also by fold key (gazbuild.c; gaz.h "fold key"). */
#define ETYPE_EXACT_KEYS 0x01
/* Its names start with a given name, which a fold-key match never
 * respells (gaz.c; fold_name_variant). */
#define ETYPE_GIVEN_FIRST 0x02
/* ner-link joins a name to its parts: an untagged run of capitalised
 * words that is the end, or a start of two words or more, of a mention
 * of the type in the same document (or a spelling variant of one) is
 * tagged as that mention, and each mention takes the canonical name of
 * the longest mention it is part of. */
#define ETYPE_NAME_PARTS 0x04
/* It is a rank: its rank column is its full= attribute, and ner-link
 * gives it to a mention of an ETYPE_TAKES_RANK type right after it. */
#define ETYPE_RANK 0x08
/* It takes the rank before it, or the rank an earlier mention of the
 * same entity took (ner-link: rank= and nato= attributes). */
#define ETYPE_TAKES_RANK 0x10
/* "Long Name (ACR)" after a mention of the type defines ACR as a name of
 * it: ner-link tags each bare ACR of the document alike. */
#define ETYPE_ACRONYM 0x20
/* Untagged capitalised words whose initials spell the acronym in
 * brackets after them become a mention of the type (the first type in
 * the table with the flag). */
#define ETYPE_ACRONYM_NEW 0x40
/* It is a place: "X, <place>" makes X a place too, and a one-word
 * mention of it from the GeoNames list (source "places") that is
 * spelt as the name of an ETYPE_NAME_PARTS mention of the document, and
 * not used as a place, is taken for that name. */
#define ETYPE_PLACE 0x80

struct etype {
	const char *name;	/* "PER" */
	const char *what;	/* "person": ner-html's legend */
	const char *style;	/* ner-html's CSS for its mentions, or NULL */
	unsigned flags;		/* ETYPE_* */
};

/* The types, ending with a row whose name is NULL. */
extern const struct etype etype_builtin[];

/* The row of type name, or NULL for a type not in the table. */
const struct etype *etype_find(const char *name);

/* The flags of type name; 0 for a type not in the table. */
unsigned etype_flags(const char *name);

/* The name of the first type with every flag of flags, or NULL. */
const char *etype_with(unsigned flags);

/* Every row, ending with a row whose name is NULL: etype_builtin,
 * unless a test chose another table with etype_use. */
const struct etype *etype_all(void);

/* For tests: use table (ending with a NULL name, living as long as it
 * is used) instead of etype_builtin; NULL goes back to it.  Not safe
 * while another thread looks types up. */
void etype_use(const struct etype *table);

#endif
