#!/usr/bin/env bash
# words.sh GIVENNAMES.tsv < /usr/share/dict/words > words.tsv
#
# The ordinary English words of Debian's wamerican list (lower-case,
# letters only, two letters or more), less those that are also given
# names, as type WORD: the rules use it to tell "Gen Kurilla" (a name)
# from "Director-General Analysis" (a word).  Sorted, so the output is
# the same on every machine with the same package version.
set -eu
export LC_ALL=C
given=$1
{
	echo "# words.tsv - ordinary English words (type WORD) for gazetteers/nerpipe.rules."
	echo "# Derived from Debian wamerican (SCOWL word lists, Copyright 2000-2019"
	echo "# Kevin Atkinson and others; permission to use, copy and distribute, see"
	echo "# /usr/share/doc/wamerican/copyright) by gazetteers/gen/words.sh, less the"
	echo "# words that are also given names in givennames.tsv.  See SOURCES."
	grep -E '^[a-z]{2,}$' | sort -u |
		awk -F'\t' 'NR == FNR { if ($1 !~ /^#/) given[tolower($1)] = 1; next }
			    !($0 in given) { print $0 "\tWORD\t\t" }' "$given" -
}
