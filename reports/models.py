"""Reports hold no tables of their own: they are built from the other apps' data."""
