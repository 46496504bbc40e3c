#!/bin/sh
# embed.sh NAME FILE: FILE as a C string named NAME, on stdout. The page's
# script and styles are kept in files of their own (read and edited as
# JavaScript and CSS) and built into ./trace, so that the page it writes
# needs nothing else at run time: one self-contained file, no network.
name=$1
file=$2
printf '/* made by tracer/output/page/embed.sh from %s: do not edit */\n' "$file"
printf 'const char %s[] =\n' "$name"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$file"
printf ';\n'
