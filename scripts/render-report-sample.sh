#!/bin/sh
# render-report-sample.sh: make the sample workbooks (a busy day of 112
# leads and 40 failed portal submissions, and an empty day), print them to
# PDF with LibreOffice as a manager would, and turn each page into a PNG
# at 96 dpi, the page as a screen shows it at 100% (at 60 dpi the 8-point
# text of a page printed at 80% was 6.7 pixels high, a blur).
# Each day's mail is written beside its workbook (mail-DAY.txt, .html).
# Installs libreoffice-calc and poppler-utils from Debian's packages when
# they are missing (apt-get; needs root).
#
#   scripts/render-report-sample.sh [OUT_DIR]     (default ./report-sample)
set -eu
out=${1:-report-sample}
need=""
command -v soffice >/dev/null 2>&1 || need="$need libreoffice-calc"
command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"
if [ -n "$need" ]; then
	echo "installing$need" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -qq --no-install-recommends $need fonts-crosextra-carlito >/dev/null
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")/.."
go run ./scripts/report-sample -out "$out" >/dev/null
for x in "$out"/leads-*.xlsx; do
	soffice --headless --norestore --convert-to pdf --outdir "$out" "$x" >/dev/null 2>&1
	pdf="${x%.xlsx}.pdf"
	rm -f "${x%.xlsx}"-*.png
	pdftoppm -png -r 96 "$pdf" "${x%.xlsx}"
	pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
	# Each page's sheet, from its footer ("Leads · Tuesday 10 March 2026
	# Page 2 of 9"); the Summary's page has none.
	i=1
	sheets=$(while [ "$i" -le "$pages" ]; do
		pdftotext -f "$i" -l "$i" -layout "$pdf" - |
			awk '/Page [0-9]+ of [0-9]+ *$/ { sub(/ +Page [0-9]+ of [0-9]+ *$/, ""); sub(/ · .*$/, ""); sub(/^ +/, ""); s = $0 }
				END { print (s == "" ? "Summary" : s) }'
		i=$((i + 1))
	done | uniq -c | awk '{ n = $1; sub(/^ *[0-9]+ /, ""); printf "%s%s %d", sep, $0, n; sep = ", " }')
	echo "$pdf: $pages pages ($sheets)"
done
head -n 1 "$out"/mail-*.txt
