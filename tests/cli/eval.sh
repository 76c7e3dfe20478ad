# ner-eval: the scorer.
. "$(dirname "$0")/../setup"

printf 'doc\tstart\tend\ttype\ttext\nd\t0\t4\tLOC\tIran\nd\t10\t20\tPER\tAsim Munir\nd\t30\t33\tORG\tISI\nd\t40\t43\tRANK\tGen\ne\t0\t5\tLOC\tDelhi\n' > "$TMP/gold.tsv"
# Two exact hits (LOC, ORG), one partial (PER 15-20 inside 10-20), one
# wrong type (RANK as PER), one for a document the gold lacks.
printf 'doc\tstart\tend\ttype\ttext\textra\nd\t0\t4\tLOC\tIran\tx\nd\t15\t20\tPER\tMunir\tx\nd\t30\t33\tORG\tISI\tx\nd\t40\t43\tPER\tGen\tx\nz\t0\t1\tLOC\tq\tx\n' > "$TMP/pred.tsv"

run "eval: per-type and micro figures" ner-eval "$TMP/gold.tsv" "$TMP/pred.tsv"
expect_status 0
# micro: 5 gold, 4 predictions scored, 2 exact -> P .5 R .4 F1 .444;
# partial adds the PER overlap -> P .75 R .6 F1 .667.
expect_out_has "micro      5     4  0.500  0.400  0.444    0.750  0.600  0.667"
expect_out_has "LOC        2     1  1.000  0.500  0.667    1.000  0.500  0.667"
expect_out_has "PER        1     2  0.000  0.000  0.000    0.500  1.000  0.667"
expect_out_has "micro F1 exact 0.444"
case_end

run "eval: --errors lists misses and false alarms" ner-eval --errors "$TMP/gold.tsv" "$TMP/pred.tsv"
expect_out_has "FN	d	10	20	PER"
expect_out_has "FP	d	40	43	PER"
expect_out_lacks "FP	z"
case_end

run "eval: --types" ner-eval --types LOC "$TMP/gold.tsv" "$TMP/pred.tsv"
expect_out_has "micro      2     1  1.000  0.500  0.667"
case_end

run "eval: --min fails below the bar" ner-eval --min 0.9 "$TMP/gold.tsv" "$TMP/pred.tsv"
expect_status 1
expect_err_has "micro F1 exact 0.444 is below 0.900"
case_end

printf 'doc\tbegin\tend\ttype\n' > "$TMP/nohead.tsv"
run "eval: a header without start is EX_DATAERR" ner-eval "$TMP/nohead.tsv" "$TMP/pred.tsv"
expect_status 65
expect_err_has "nohead.tsv:1: header lacks column 'start'"
case_end

printf 'doc\tstart\tend\ttype\nd\tx\t4\tLOC\n' > "$TMP/badrow.tsv"
run "eval: a bad row is EX_DATAERR naming the line" ner-eval "$TMP/badrow.tsv" "$TMP/pred.tsv"
expect_status 65
expect_err_has "badrow.tsv:2: bad row"
case_end

{ printf 'doc\tstart\tend\ttype\n'; for i in $(seq 1 80); do printf 'd\t%d\t%d\tT%d\n' "$i" "$((i + 1))" "$i"; done; } > "$TMP/many.tsv"
run "eval: more than 64 types" ner-eval "$TMP/many.tsv" "$TMP/many.tsv"
expect_status 0
expect_out_has "T80        1     1  1.000  1.000  1.000"
expect_out_has "micro F1 exact 1.000"
case_end

printf 'doc\tstart\tend\ttype\nd\t0\t1\tABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGH\n' > "$TMP/long.tsv"
run "eval: a type over 31 characters is EX_DATAERR" ner-eval "$TMP/long.tsv" "$TMP/pred.tsv"
expect_status 65
expect_err_has "long.tsv:2: type longer than 31 characters"
case_end

run "eval: a missing file is EX_NOINPUT" ner-eval "$TMP/none.tsv" "$TMP/pred.tsv"
expect_status 66
case_end

run "eval: a directory is refused, not read as an empty file" ner-eval "$TMP" "$TMP/pred.tsv"
expect_status 66
expect_err_has "ner-eval: $TMP: is a directory"
expect_out_empty
case_end

run_in "eval: a directory on standard input too" "$TMP" ner-eval "$TMP/gold.tsv" -
expect_status 66
expect_err_has "ner-eval: stdin: is a directory"
case_end
