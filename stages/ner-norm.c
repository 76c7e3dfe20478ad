/* ner-norm - the head of the chain: text files in, documents out.  See ner-norm(1). */
#include "stage.h"

int main(int argc, char **argv)
{
	return stage_main(&stage_norm, argc, argv);
}
