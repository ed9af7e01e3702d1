"""Third-party verification (核查) of a study: submission snapshots, assignment of a
verification body and verifier (conflicts of interest refused), review, findings and
corrections, sign-off or rejection."""
