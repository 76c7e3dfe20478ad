/* ner-html - a tail of the chain: the tagged documents as one HTML page.
 * See ner-html(1). */
#include "stage.h"

int main(int argc, char **argv)
{
	return stage_main(&stage_html, argc, argv);
}
