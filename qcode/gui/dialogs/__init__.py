"""Dialogs: each gathers a choice, then hands it to the core (through a worker when the work is long)."""
