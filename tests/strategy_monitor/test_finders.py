"""plotly.js is found in plotly's package, and nothing else of that package is."""

from django.contrib.staticfiles import finders

from strategy_monitor.finders import PLOTLY_DIR, PlotlyFinder


def test_plotly_js_is_found_and_collected_alone():
    assert finders.find("vendor/plotly/plotly.min.js") == str(PLOTLY_DIR / "plotly.min.js")
    assert finders.find("vendor/plotly/widgetbundle.js") is None
    assert finders.find("vendor/plotly/plotly.min.js", find_all=True) == [
        str(PLOTLY_DIR / "plotly.min.js")
    ]
    listed = [(path, storage.prefix) for path, storage in PlotlyFinder().list([])]
    assert listed == [("plotly.min.js", "vendor/plotly")]


def test_a_missing_file_is_not_found_by_any_finder():
    assert finders.find("css/missing.css") is None
    assert finders.find("css/missing.css", find_all=True) == []
