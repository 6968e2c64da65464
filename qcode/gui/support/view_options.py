"""View options that belong to the whole window: the colour theme and moving the focus between panels.

Theme: "system" follows the desktop (Qt's own palette), "light" and "dark" are set explicitly with the
Fusion style so that they look the same everywhere. Panels: Alt+1 … Alt+7 go to a panel, F6 and
Shift+F6 go to the next or previous one, so that everything can be reached from the keyboard.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QActionGroup, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QMenu, QWidget

THEMES = {"system": "Follow the &system", "light": "&Light", "dark": "&Dark"}
THEME_KEY = "view/theme"


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2d31", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22", QPalette.ColorRole.AlternateBase: "#26282c",
        QPalette.ColorRole.ToolTipBase: "#3a3d42", QPalette.ColorRole.ToolTipText: "#f0f0f0",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#34363b",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: "#3d6fb6", QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb0ff", QPalette.ColorRole.PlaceholderText: "#8a8d93",
        QPalette.ColorRole.Mid: "#4a4d52", QPalette.ColorRole.Dark: "#18191b", QPalette.ColorRole.Light: "#45484d",
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7d82"))
    return palette


def apply_theme(name: str) -> None:
    """Switch the application's colours; unknown names follow the system."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if not hasattr(app, "_qcode_system_style"):  # remember what the desktop gave us, to go back to it
        app._qcode_system_style = app.style().name()  # type: ignore[attr-defined]
    if name == "dark":
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    elif name == "light":
        app.setStyle("Fusion")
        app.setPalette(app.style().standardPalette())
    else:
        app.setStyle(app._qcode_system_style)  # type: ignore[attr-defined]
        app.setPalette(app.style().standardPalette())


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


class ViewOptions(QObject):
    """Adds the theme choice and the panel navigation to a window's View menu."""

    def __init__(self, window: QMainWindow, menu: QMenu, settings: QSettings | None,
                 panels: list[tuple[str, Callable[[], QWidget]]]) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.panels = panels
        theme_menu = menu.addMenu("&Theme")
        group = QActionGroup(self)
        current = str(settings.value(THEME_KEY, "system")) if settings is not None else "system"
        self.theme_actions: dict[str, QAction] = {}
        for name, label in THEMES.items():
            action = theme_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(name == current)
            action.triggered.connect(lambda _=False, n=name: self.set_theme(n))
            group.addAction(action)
            self.theme_actions[name] = action
        if current != "system":
            apply_theme(current)
        go_menu = menu.addMenu("&Go to panel")
        for number, (label, widget) in enumerate(panels, 1):
            action = go_menu.addAction(label, lambda w=widget: self.focus(w()))
            action.setShortcut(QKeySequence(f"Alt+{number}"))
        go_menu.addSeparator()
        for label, step, key in (("&Next panel", 1, "F6"), ("&Previous panel", -1, "Shift+F6")):
            action = go_menu.addAction(label, lambda s=step: self.cycle(s))
            action.setShortcut(QKeySequence(key))

    def set_theme(self, name: str) -> None:
        apply_theme(name)
        self.theme_actions[name].setChecked(True)
        if self.settings is not None:
            self.settings.setValue(THEME_KEY, name)

    def focus(self, widget: QWidget) -> None:
        """Show the panel (raising its dock tab) and put the keyboard focus in it."""
        dock = widget.parentWidget()
        while dock is not None and not isinstance(dock, QDockWidget):
            dock = dock.parentWidget()
        if dock is not None:
            dock.show()
            dock.raise_()
        widget.setFocus()

    def cycle(self, step: int) -> None:
        widgets = [get() for _label, get in self.panels]
        focused = QApplication.focusWidget()
        index = next((i for i, w in enumerate(widgets)
                      if focused is not None and (w is focused or w.isAncestorOf(focused))), -1)
        self.focus(widgets[(index + step) % len(widgets)])
