#!/bin/sh
# Fetch (from npm) the two scripts a notebook exported to HTML loads from the web to draw its
# widgets: require.js and @jupyter-widgets/html-manager.  tests/browser/test_widget.py serves
# them, with ipysigma's own script from its Python package, in place of the CDN, so the
# exported widget is drawn offline.  Usage: sh tests/browser/widget_assets.sh [FOLDER]
# (default tests/browser/.widget-assets, git-ignored; or set NEWSGRAPH_WIDGET_ASSETS).
set -eu
out=${1:-$(dirname "$0")/.widget-assets}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent requirejs@2.3.7 @jupyter-widgets/html-manager@1.0.15 >/dev/null)
tar xzf "$tmp"/requirejs-2.3.7.tgz -C "$tmp" package/require.js
cp "$tmp"/package/require.js "$out"/require.js
rm -rf "$tmp"/package
tar xzf "$tmp"/jupyter-widgets-html-manager-1.0.15.tgz -C "$tmp"
cp "$tmp"/package/dist/*.js "$out"/
echo "widget assets in $out"
