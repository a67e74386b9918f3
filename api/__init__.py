"""The read-only REST API: every strategy's monitored data for other systems, under /api/v1/."""
