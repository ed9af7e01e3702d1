"""Background jobs: one interface for heavy work (imports, recomputations, Monte Carlo).

A job is a row (:class:`~yuntan.platform.jobs.models.Job`) plus a function marked with
:func:`~yuntan.platform.jobs.runner.job_function`. :func:`~yuntan.platform.jobs.runner.submit`
stores the job and hands it to the configured backend: worker threads in the web process
(default), inline (at once), or a Dask distributed cluster. Progress, result and errors are
written to the row, so any process can show them.
"""
