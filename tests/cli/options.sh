# Every program's command line, from its option table (opt.h): -h/--help
# and -V/--version everywhere, one answer to a bad option, and the man
# page synopsis check: each long option of a program is in its man page's
# SYNOPSIS or OPTIONS, and each option the OPTIONS list is one the
# program takes.
. "$(dirname "$0")/../setup"

PROGS=$(cd "$TOP/stages" && ls ner-*.c nerpipe.c | sed 's/\.c$//')
version=$(sed -n 's/^#define NERPIPE_VERSION "\(.*\)"/\1/p' "$TOP/include/version.h")

# man_text PAGE SECTION: the text of a section of stages/PAGE, roff
# escapes and fonts taken out.
man_text() {
	sed -n "/^\.SH $2/,/^\.SH /p" "$TOP/stages/$1" |
		sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(..//g'
}

# man_options PAGE: the long options the OPTIONS list of PAGE names, one
# a line: those on the line after each .TP.
man_options() {
	sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$TOP/stages/$1" |
		awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' |
		sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' |
		grep -o -- '--[a-z][a-z-]*' | sort -u
}

for p in $PROGS; do
	run "options: $p --help" "$p --help"
	expect_status 0
	expect_err_empty
	[ "$(head -1 "$OUT" | cut -d' ' -f1-2)" = "usage: $p" ] ||
		fail "the help does not start with 'usage: $p'"
	expect_out_has "  -h, --help"
	expect_out_has "  -V, --version"
	case_end
	cp "$OUT" "$TMP/help-$p"

	run "options: $p -h is --help" "$p -h"
	expect_status 0
	expect_out "$TMP/help-$p"
	case_end

	for v in -V --version; do
		run "options: $p $v" "$p $v"
		expect_status 0
		expect_out_text "$p $version
"
		expect_err_empty
		case_end
	done

	run "options: $p answers an unknown long option" "$p --no-such-option"
	expect_status 64
	expect_out_empty
	printf "%s: unknown option '--no-such-option'\nTry '%s --help'.\n" "$p" "$p" \
		> "$TMP/expected-err"
	cmp -s "$ERR" "$TMP/expected-err" || fail "stderr: $(cat "$ERR")"
	case_end

	run "options: $p answers an unknown short option" "$p -Y"
	expect_status 64
	expect_out_empty
	printf "%s: unknown option '-Y'\nTry '%s --help'.\n" "$p" "$p" \
		> "$TMP/expected-err"
	cmp -s "$ERR" "$TMP/expected-err" || fail "stderr: $(cat "$ERR")"
	case_end

	# The man page synopsis check.
	grep -o -- '--[a-z][a-z-]*' "$TMP/help-$p" | sort -u > "$TMP/table-$p"
	{ man_text "$p.1" SYNOPSIS; man_text "$p.1" OPTIONS; } > "$TMP/man-$p"
	run "options: each long option of $p is in $p(1)" \
		"for o in \$(cat $TMP/table-$p); do
			grep -q -- \"\$o\\([^a-z-]\\|\$\\)\" $TMP/man-$p || echo \"\$o\"
		 done"
	expect_status 0
	expect_out_empty
	case_end

	run "options: each option $p(1) lists is one $p takes" \
		"man_options $p.1 | comm -23 - $TMP/table-$p"
	expect_status 0
	expect_out_empty
	case_end
done

# A value missing, or given to an option that takes none.
run "options: a missing value" "ner-tsv --format"
expect_status 64
printf "ner-tsv: option '--format' needs a value\nTry 'ner-tsv --help'.\n" > "$TMP/e"
cmp -s "$ERR" "$TMP/e" || fail "stderr: $(cat "$ERR")"
case_end

run "options: a missing value of a short option" "ner-gaz -g"
expect_status 64
expect_err_has "ner-gaz: option '-g' needs a value"
case_end

run "options: a value given to a flag" "nerpipe --print=yes"
expect_status 64
expect_err_has "nerpipe: option '--print' takes no value"
case_end

run "options: a long option may be shortened" "ner-tsv --no-head < /dev/null"
expect_status 0
expect_out_empty
case_end

# Inside nerpipe, a stage's bad option in pipeline.conf names the stage
# and the line.
printf 'ner-norm\nner-tok --bogus\nner-tsv\n' > "$TMP/bad.conf"
run "options: a stage's bad option in a pipeline.conf" "nerpipe -c $TMP/bad.conf < /dev/null"
expect_status 78
expect_err_has "ner-tok: unknown option '--bogus'"
expect_err_has "bad.conf:2: bad arguments for ner-tok"
case_end
