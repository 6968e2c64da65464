#!/bin/sh
# Install the unpacked qcode bundle for the current user: the program in ~/.local/lib/qcode, a `qcode` command in
# ~/.local/bin, the menu entry, the icon and the .qcode file type. Run it from the unpacked folder:
#     ./install.sh            (./install.sh --uninstall takes it all away again)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
lib=$HOME/.local/lib/qcode
bin=$HOME/.local/bin

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$lib" "$bin/qcode" "$data/applications/qcode.desktop" "$data/mime/packages/qcode-mime.xml"
  for size in 16 24 32 48 64 128 256 512; do
    rm -f "$data/icons/hicolor/${size}x${size}/apps/qcode.png" "$data/icons/hicolor/${size}x${size}/mimetypes/application-x-qcode.png"
  done
else
  mkdir -p "$lib" "$bin" "$data/applications" "$data/mime/packages"
  cp -R "$here/." "$lib/"
  ln -sf "$lib/qcode" "$bin/qcode"
  cp "$here/qcode.desktop" "$data/applications/qcode.desktop"
  cp "$here/qcode-mime.xml" "$data/mime/packages/qcode-mime.xml"
  for size in 16 24 32 48 64 128 256 512; do
    for kind in apps mimetypes; do mkdir -p "$data/icons/hicolor/${size}x${size}/$kind"; done
    cp "$here/icons/qcode-$size.png" "$data/icons/hicolor/${size}x${size}/apps/qcode.png"
    cp "$here/icons/qcode-$size.png" "$data/icons/hicolor/${size}x${size}/mimetypes/application-x-qcode.png"
  done
fi
command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q "$data/icons/hicolor" || true
echo "qcode ${1:+un}installed for $(id -un). Open it from the menu, or run: qcode"
