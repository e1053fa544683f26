"""``ftlint server``: a Language Server Protocol server over stdio.

Editors get ftlint's findings as they type: the unsaved buffer is linted as
if it were the file (its split, its settings, its siblings read from disk
and their dataset-rule states from the cache), each finding becomes a
diagnostic with a link to its rule's page, hovering one shows the rule's
documentation, and the fixes the command line applies are code actions.

Built on pygls, an optional dependency: ``pip install 'ftlint[lsp]'``.
:mod:`ftlint.server.linting` lints buffers and knows nothing of the
protocol; :mod:`ftlint.server.convert` turns findings into protocol types;
:mod:`ftlint.server.app` is the server itself.
"""
