"""Record shapes: from a record's parsed value to one
:class:`~ftlint.core.records.RecordView`. The base class a plugin implements is
in :mod:`~ftlint.shapes.base`; the built-in shapes and recognition in
:mod:`~ftlint.shapes.builtin`."""
