"""REFI-QDA exchange: codebooks (.qdc) and whole projects (.qdpx) to and from other QDA programs.

- `reader` reads a file leniently into a `document.RefiDocument` (plain values), refusing unsafe archives;
- `merge` writes such a document into a project (matching what is already there);
- `writer` writes a project or its codebook;
- `positions` and `descriptions` hold the conventions of both directions.
The faces go through `Project.import_refi` and `Project.export_refi`.
"""

from qcode.core.refi.document import ExchangeReport, RefiDocument

__all__ = ["ExchangeReport", "RefiDocument"]
