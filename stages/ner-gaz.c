/* ner-gaz - tag tokens from compiled gazetteers.  See ner-gaz(1). */
#include "stage.h"

int main(int argc, char **argv)
{
	return stage_main(&stage_gaz, argc, argv);
}
