"""hoso: case files of a formal review procedure, kept as YAML in Git."""

__version__ = "0.1.0"
