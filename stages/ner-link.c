/* ner-link - one entity behind many mentions: partial names, acronyms,
 * ranks, canonical names.  See ner-link(1). */
#include "stage.h"

int main(int argc, char **argv)
{
	return stage_main(&stage_link, argc, argv);
}
