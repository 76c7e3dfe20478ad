# The README's console examples: each "$ command" is run from the top of
# the tree and must print exactly the lines shown under it.
. "$(dirname "$0")/../setup"

awk '
	/^```console/ { inblock = 1; next }
	/^```/ { inblock = 0; next }
	inblock && /^\$ / { n++; print substr($0, 3) > (dir "/cmd" n); next }
	inblock { print > (dir "/out" n) }
' dir="$TMP" "$TOP/README.md"

n=0
while [ -f "$TMP/cmd$((n + 1))" ]; do
	n=$((n + 1))
	[ -f "$TMP/out$n" ] || : > "$TMP/out$n"
	run "README example: $(head -c 60 "$TMP/cmd$n")" "cd $TOP && PATH=$BIN:\$PATH && $(cat "$TMP/cmd$n")"
	expect_status 0
	expect_out "$TMP/out$n"
	case_end
done
[ "$n" -gt 0 ] || { echo "FAIL README examples: none found"; exit 1; }

# The man pages' EXAMPLES that run on their own in an empty directory
# (tests/setup); ner-rules, ner-db and ner-html run theirs in their own
# scripts.  The other pages' examples are not run yet.
for page in ner-tsv.1 nerpipe.1 ner-gaz.1 ner-gazc.1; do
	run_man_examples $page
done
