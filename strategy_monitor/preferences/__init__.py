"""Each user's own settings: their start page and language, and the header's language switch."""
