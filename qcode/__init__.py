"""qcode: qualitative coding of interviews, focus groups, literature and survey answers."""

__version__ = "0.1.0"
