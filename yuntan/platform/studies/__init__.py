"""Products and studies: an enterprise's activity data, pinned factor versions, evidence,
immutable results and reduction scenarios."""
