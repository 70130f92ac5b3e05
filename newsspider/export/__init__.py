"""Export stage: the run's feed files, and merged, typed exports of all runs."""
