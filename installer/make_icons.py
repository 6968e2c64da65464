"""Draw qcode's icon (a page with coloured coding stripes) and write it in every size and format the platforms
want: resources/icons/qcode.svg, qcode-<size>.png (16-512), qcode.ico (Windows) and qcode.icns (macOS), and
the window icon qcode/resources/qcode.png.

    .venv/bin/python installer/make_icons.py

The SVG is the source of truth; the PNGs are rendered from it with Qt, the .ico and .icns packed with Pillow.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <rect x="16" y="16" width="224" height="224" rx="44" fill="#2f4b7c"/>
  <rect x="56" y="44" width="130" height="168" rx="12" fill="#ffffff"/>
  <rect x="74" y="72" width="94" height="10" rx="5" fill="#c9d1dd"/>
  <rect x="74" y="96" width="80" height="10" rx="5" fill="#f28e2b"/>
  <rect x="74" y="120" width="94" height="10" rx="5" fill="#c9d1dd"/>
  <rect x="74" y="144" width="64" height="10" rx="5" fill="#59a14f"/>
  <rect x="74" y="168" width="86" height="10" rx="5" fill="#c9d1dd"/>
  <rect x="196" y="92" width="12" height="38" rx="6" fill="#f28e2b"/>
  <rect x="196" y="140" width="12" height="38" rx="6" fill="#59a14f"/>
</svg>
"""


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - Qt needs one
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "qcode.svg").write_text(SVG, encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(SVG.encode()))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"qcode-{size}.png"))
    # the window icon, package data so that an installed wheel has it too
    (ROOT / "qcode" / "resources" / "qcode.png").write_bytes((ICONS / "qcode-256.png").read_bytes())
    largest = Image.open(ICONS / "qcode-512.png")
    largest.save(ICONS / "qcode.ico", sizes=[(s, s) for s in SIZES if s <= 256])
    largest.save(ICONS / "qcode.icns")
    print(f"wrote {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
