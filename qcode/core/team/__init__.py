"""Team coding: coder identity, blind coding, agreement between coders, and merging coders' projects.

Qt-free like the rest of the core. `statistics` holds the agreement coefficients over plain ratings,
`agreement` turns a project's codings into those ratings (by character or by paragraph, turn or sentence),
and `merge` combines another coder's project file into this one with a report of what it did.
"""
