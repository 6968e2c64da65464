"""Controllers: what a user gesture asks the core for (coding, codebook, document, imports, coders)."""
