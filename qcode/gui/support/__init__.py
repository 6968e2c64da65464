"""Support for the GUI: worker threads with progress and Cancel, offset conversion, view options, plain tables."""
