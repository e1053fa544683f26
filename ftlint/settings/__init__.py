"""Settings: the keys a user can set (:mod:`~ftlint.settings.schema`) and how
the settings file is found, read and validated (:mod:`~ftlint.settings.files`)."""
