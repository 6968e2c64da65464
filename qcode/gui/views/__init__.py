"""Widgets that show what the models hold."""
