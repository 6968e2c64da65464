"""Analysis views and charts (frequencies, matrix, co-occurrence, queries) over `qcode.core.analysis`."""
