"""Find plotly.js in plotly's Python package, and nothing else of that package."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"
PLOTLY_PREFIX = "vendor/plotly"
PLOTLY_FILE = "plotly.min.js"


class PlotlyFinder(BaseFinder):
    """Serve `vendor/plotly/plotly.min.js` from plotly's package, so no page needs a CDN.

    The package also holds a Jupyter widget bundle, sample datasets and theme templates that
    no page loads; leaving them out keeps collectstatic to seconds.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=PLOTLY_DIR)
        self.storage.prefix = PLOTLY_PREFIX

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        if path != f"{PLOTLY_PREFIX}/{PLOTLY_FILE}":
            # As Django's own finders do: an empty list, never None, when nothing is found.
            return []
        match = str(PLOTLY_DIR / PLOTLY_FILE)
        return [match] if find_all else match

    def list(self, ignore_patterns):
        yield PLOTLY_FILE, self.storage
