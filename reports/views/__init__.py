"""Report views: dashboards in `dashboards`, downloads and imports in `exports`, the change
log in `history`, background exports and imports in `jobs`."""
