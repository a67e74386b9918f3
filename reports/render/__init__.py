"""Renderers of the report objects: PDF, XLSX, IATI XML and SVG."""

import logging

# WeasyPrint reports each layout step, and its own stylesheets as it imports them, at INFO;
# the application's log needs only its warnings. Set before reports.render.pdf imports it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
