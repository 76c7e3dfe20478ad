/* ner-tsv - the tail of the chain: one TSV row per mention.  See ner-tsv(1). */
#include "stage.h"

int main(int argc, char **argv)
{
	return stage_main(&stage_tsv, argc, argv);
}
