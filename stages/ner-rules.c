/* ner-rules - tag tokens by token-pattern rules.  See ner-rules(1). */
#include "stage.h"

int main(int argc, char **argv)
{
	return stage_main(&stage_rules, argc, argv);
}
