"""Executors: what lints units of work (a file, or a byte range of one) and
hands back each file's merged outcome. The built-in one is the local process
pool (:mod:`~ftlint.run.executors.local`)."""
