"""Maps to show and to measure with: the sample map and synthetic maps."""
