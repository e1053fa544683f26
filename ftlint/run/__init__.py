"""Running a lint: the check pipeline every check runs through
(:mod:`~ftlint.run.pipeline`), rule selectors resolved to codes
(:mod:`~ftlint.run.selection`), the plugin registry
(:mod:`~ftlint.run.registry`) and the built-in plugin
(:mod:`~ftlint.run.builtin_plugin`), discovery of datasets, splits and configs
(:mod:`~ftlint.run.discovery`), the engine (:mod:`~ftlint.run.engine`) and its
executors (:mod:`ftlint.run.executors`), the cache (:mod:`~ftlint.run.cache`),
collection of findings (:mod:`~ftlint.run.collect`), baselines
(:mod:`~ftlint.run.baseline`) and fixes of configs (:mod:`~ftlint.run.fixes`)
and datasets (:mod:`~ftlint.run.dataset_fixes`)."""
