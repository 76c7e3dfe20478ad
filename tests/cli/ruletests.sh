# The rule tests kept as data, tests/rules/*.test, the way jq keeps its
# tests: each case is a rule file, an input and what ner-rules must make
# of it, run through the programs themselves:
#
#   ner-norm | ner-tok [| ner-gaz -g g.gaz] | ner-rules -r x.rules | ner-tsv
#
# A file holds cases; lines before the first case are comments.  A case:
#
#   %% NAME                 the case's name; the lines up to the first
#   RULE LINES...           "--- " line are its rule file, x.rules
#   --- list NAME           a gazetteer source (TSV) compiled to NAME.gaz,
#   TSV ROWS...             for "list NAME NAME.gaz" in the rules
#   --- gazetteer           a gazetteer source run through ner-gaz before
#   TSV ROWS...             the rules (its mentions' source is "g")
#   --- text                the input, a document; its id is "text"
#   TEXT LINES...
#   --- stream              or the input as a ner-stream(5) document,
#   STREAM LINES...         read by ner-gaz or ner-rules as it is
#   --- tags                the BIO tag of each token, space-separated
#   --- rows                the mentions: TYPE, text, canonical, source
#   --- error               ner-rules refuses the rule file: the message
#                           it prints (exit status 65)
#
# Each case runs in a directory of its own, with NERPIPE_DATA there.
. "$(dirname "$0")/../setup"

n=0
for file in "$TOP"/tests/rules/*.test; do
	base=$(basename "$file" .test)
	rm -rf "$TMP/cases"
	mkdir -p "$TMP/cases"
	# Blank lines at the end of a section only separate cases.
	awk -v dir="$TMP/cases" '
		/^%% / { n++; c = dir "/" n; system("mkdir -p " c); blank = 0
			 print substr($0, 4) > (c "/name"); out = c "/x.rules"
			 printf "" > out; next }
		!n { next }
		/^--- list / { out = c "/list-" $3 ".tsv"; blank = 0; next }
		/^--- / { out = c "/" $2; printf "" > out; blank = 0; next }
		/^$/ { blank++; next }
		{ for (; blank > 0; blank--) print "" > out; print > out }' "$file"
	cases=$(ls "$TMP/cases" | wc -l)
	for k in $(seq 1 "$cases"); do
		dir=$TMP/cases/$k
		n=$((n + 1))
		name="$base: $(cat "$dir/name")"
		for l in "$dir"/list-*.tsv; do
			[ -f "$l" ] || continue
			l=${l##*/list-}
			ner-gazc -q -o "$dir/${l%.tsv}.gaz" "$dir/list-$l"
		done
		gaz=
		if [ -f "$dir/gazetteer" ]; then
			mv "$dir/gazetteer" "$dir/g.tsv"
			ner-gazc -q -o "$dir/g.gaz" "$dir/g.tsv"
			gaz="| ner-gaz -g $dir/g.gaz"
		fi
		if [ -f "$dir/error" ]; then
			run "$name" "(cd $dir && NERPIPE_DATA=$dir ner-rules -r x.rules < /dev/null)"
			expect_status 65
			expect_out_empty
			sed "s|$dir/||" "$ERR" > "$dir/err"
			cmp -s "$dir/err" "$dir/error" ||
				fail "stderr: $(cat "$dir/err"), expected: $(cat "$dir/error")"
			case_end
			continue
		fi
		if [ -f "$dir/text" ]; then
			mv "$dir/text" "$dir/text.txt"
			head="ner-norm text.txt | ner-tok"
		elif [ -f "$dir/stream" ]; then
			head="cat stream"
		else
			echo "FAIL $name: neither --- text nor --- stream"
			continue
		fi
		chain="cd $dir && export NERPIPE_DATA=$dir && $head $gaz | ner-rules -r x.rules"
		if [ -f "$dir/tags" ]; then
			run "$name" "($chain | ner-tsv -f conll) |
				awk -F'\t' '\$1 != \"-DOCSTART-\" && NF { printf \"%s%s\", s, \$2; s = \" \" }
				     END { print \"\" }'"
			expect_status 0
			expect_err_empty
			expect_out "$dir/tags"
			case_end
		fi
		if [ -f "$dir/rows" ]; then
			run "$name (rows)" "($chain | ner-tsv -H -c type,text,canonical,source)"
			expect_status 0
			expect_err_empty
			expect_out "$dir/rows"
			case_end
		fi
		[ -f "$dir/tags" ] || [ -f "$dir/rows" ] ||
			echo "FAIL $name: neither --- tags nor --- rows"
	done
done
[ "$n" -gt 0 ] || echo "FAIL rule tests: none found in tests/rules"
