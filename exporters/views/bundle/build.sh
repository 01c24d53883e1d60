#!/bin/sh
# Rebuild ../viewer/vendor.js (sigma.js + graphology, MIT) and ../viewer/vendor.LICENSE.txt
# from the versions pinned in package-lock.json.  Needs Node.js and npm; run from anywhere:
#   sh exporters/views/bundle/build.sh
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
# An IIFE, minified, with no "</" left in it: the page inlines it in a <script> element.
npx esbuild entry.js --bundle --minify --format=iife --target=es2019 \
  --legal-comments=none --charset=utf8 --outfile=../viewer/vendor.js
if grep -q '</' ../viewer/vendor.js; then
  echo "vendor.js contains '</', which would end the page's <script> element" >&2
  exit 1
fi
{
  for pkg in sigma graphology graphology-utils events; do
    version=$(node -p "require('./node_modules/$pkg/package.json').version")
    echo "==== $pkg $version ===="
    cat "node_modules/$pkg/LICENSE"* 2>/dev/null || node -p "require('./node_modules/$pkg/package.json').license"
    echo
  done
} > ../viewer/vendor.LICENSE.txt
