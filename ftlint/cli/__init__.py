"""The command line (:mod:`~ftlint.cli.main`) and its progress bar
(:mod:`~ftlint.cli.progress`)."""
