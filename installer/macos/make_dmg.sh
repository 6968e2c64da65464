#!/bin/sh
# Pack dist/qcode.app (built by `python3 installer/build.py` on macOS) into dist/qcode-<version>.dmg with
# hdiutil, which every Mac has. The app is not signed: a first start needs right-click > Open.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$("$root/dist/qcode.app/Contents/MacOS/qcode" --version | awk '{print $2}')
staging=$(mktemp -d)
cp -R "$root/dist/qcode.app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "qcode $version" -srcfolder "$staging" -ov -format UDZO "$root/dist/qcode-$version.dmg"
rm -rf "$staging"
echo "Packed $root/dist/qcode-$version.dmg"
