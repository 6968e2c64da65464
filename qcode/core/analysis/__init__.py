"""Questions asked of a project: frequencies, text search, locations of excerpts."""
