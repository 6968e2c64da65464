"""The SQLite project file. All SQL of qcode lives in this package."""
