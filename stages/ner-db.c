/* ner-db - the tail that loads tagged documents into SQLite.  See ner-db(1). */
#include "stage.h"

int main(int argc, char **argv)
{
	return stage_main(&stage_db, argc, argv);
}
