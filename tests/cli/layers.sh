# The layering of the build: each program links only the libraries its
# stages use, the library calls no stage module, and neither its modules
# nor its headers depend on each other in a cycle.
. "$(dirname "$0")/../setup"

# The archive of the build under test: obj/ for bin/, obj-san/ for bin-san/.
LIB=${BIN%/*}/obj${BIN##*/bin}/libnerpipe.a

# undefined PROG PREFIX: the symbols PROG uses that start with PREFIX,
# whether it takes them from a shared library (nm's U) or has them from
# a static archive linked in (pcre2, SQLite... see the Makefile).
undefined() {
	nm "$BIN/$1" | awk '{ print $NF }' | grep "^$2" | sort -u || true
}

for p in ner-norm ner-tok ner-gaz ner-link ner-tsv ner-html ner-db ner-eval \
	 ner-gazc ner-fetch; do
	run "layers: $p links no rule engine (pcre2)" "undefined $p pcre2_"
	expect_status 0
	expect_out_empty
	case_end
done
for p in ner-norm ner-tok ner-gaz ner-rules ner-link ner-tsv ner-html ner-eval \
	 ner-gazc; do
	run "layers: $p links no HTTP client or SQLite" "undefined $p 'curl_\\|sqlite3_'"
	expect_status 0
	expect_out_empty
	case_end
done
run "layers: nerpipe links no HTTP client (ner-fetch runs as a program)" \
	"undefined nerpipe curl_"
expect_status 0
expect_out_empty
case_end
run "layers: nerpipe runs the rule engine built in" "undefined nerpipe pcre2_match"
expect_status 0
expect_out_has pcre2_match
case_end

# "member used-member" pairs of the archive: who calls whom.
nm -A "$LIB" 2>/dev/null | awk '
	{ split($1, f, ":"); m = f[2] }
	$(NF - 1) ~ /^[TDBR]$/ { def[$NF] = m }
	$(NF - 1) == "U" { use[m, $NF] = 1 }
	END { for (k in use) { split(k, p, SUBSEP)
		if ((p[2] in def) && def[p[2]] != p[1]) print p[1], def[p[2]] } }' |
	sort -u > "$TMP/calls"

run "layers: the archive of the build lists its modules" "wc -l < $TMP/calls"
expect_status 0
[ "$(cat "$OUT")" -gt 20 ] || fail "only $(cat "$OUT") calls between modules in $LIB"
case_end

run "layers: no library module calls a stage module" \
	"grep -v '^stage' $TMP/calls | grep ' stage'"
expect_status 1
expect_out_empty
case_end

run "layers: no cycle among the library's modules" "tsort $TMP/calls"
expect_status 0
expect_err_empty
case_end

# "file included-file" pairs of the library's sources and headers.
for f in "$TOP"/include/*.h "$TOP"/stages/lib/*.[ch]; do
	sed -n 's/^#include "\(.*\)"/\1/p' "$f" | sed "s|^|${f##*/} |"
done | awk '$1 != $2' > "$TMP/includes"

run "layers: no cycle among the library's includes" "tsort $TMP/includes"
expect_status 0
expect_err_empty
case_end

run "layers: no library header includes a stage's" \
	"grep -v '^stage' $TMP/includes | grep ' stage.h'"
expect_status 1
case_end
