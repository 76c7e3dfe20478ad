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

# Every man page's EXAMPLES run (tests/setup): here, or in the page's
# own script for ner-rules, ner-db and ner-html.  ner-fetch(1)'s fetch
# pages from the network, all but the first, whose output fetch.sh checks
# against its own saved page.
own=" ner-rules.1 ner-rules.5 ner-db.1 ner-html.1 ner-fetch.1 "
for f in "$TOP"/stages/*.[157]; do
	page=${f##*/}
	grep -q '^\.SH EXAMPLES' "$f" || continue
	case $own in *" $page "*) continue ;; esac
	run_man_examples "$page"
done
