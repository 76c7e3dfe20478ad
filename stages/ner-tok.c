/* ner-tok - split documents into sentences and tokens.  See ner-tok(1). */
#include "stage.h"

int main(int argc, char **argv)
{
	return stage_main(&stage_tok, argc, argv);
}
