"""Helpers for testing rules, for ftlint's own tests and for plugin authors:
write a small dataset or config into a folder and run the real engine on it
(see :mod:`~ftlint.testing.fixtures`)."""

from ftlint.testing.fixtures import FileContent, check_files, working_directory, write_files

__all__ = ["FileContent", "check_files", "working_directory", "write_files"]
