"""The PySide6 face of qcode: a thin layer of models, views and undo commands over `qcode.core`."""
