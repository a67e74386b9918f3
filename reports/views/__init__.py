"""Report views: dashboards in `dashboards`, downloads and imports in `exports`, the change
log in `history`."""
