"""The Project API, one module per subject; `qcode.core.project.Project` combines them."""
