"""The load test's statistics on fake samples, its user loop, and the loopback client."""

import pytest
from django.conf import settings

from tools import loadtest, loopback
from tools.loopback import Response, percentile, summary


def test_percentile_interpolates_between_ranks():
    values = [50.0, 10.0, 40.0, 20.0, 30.0]

    assert percentile(values, 0.5) == 30.0
    assert percentile(values, 0.0) == 10.0
    assert percentile(values, 1.0) == 50.0
    assert percentile(values, 0.99) == pytest.approx(49.6)
    assert percentile(values, 0.95) == pytest.approx(48.0)


def test_percentile_of_one_value_is_that_value():
    assert percentile([7.0], 0.99) == 7.0


@pytest.mark.parametrize(("values", "fraction"), [([], 0.5), ([1.0], 1.5)])
def test_percentile_refuses_no_values_or_a_fraction_out_of_range(values, fraction):
    with pytest.raises(ValueError):
        percentile(values, fraction)


def test_summary_of_a_hundred_samples():
    result = summary([float(value) for value in range(1, 101)])

    assert (result.count, result.median, result.mean) == (100, 50.5, 50.5)
    assert result.p95 == pytest.approx(95.05)
    assert result.p99 == pytest.approx(99.01)


def hits(page: str, latencies_ms: list[float], status: int = 200) -> list[loadtest.Hit]:
    return [loadtest.Hit(page, status, value / 1000) for value in latencies_ms]


def test_load_aggregate_reports_requests_per_second_and_percentiles():
    sample = [*hits("A", [10.0] * 9 + [100.0]), *hits("B", [20.0, 40.0])]

    rows, overall = loadtest.load_aggregate(sample, 2.0, ["A", "B"])

    assert rows[0] == loadtest.LoadRow("A", 10, 0, 5.0, 10.0, pytest.approx(91.9), 19.0)
    assert (rows[1].requests, rows[1].per_second, rows[1].p50_ms) == (2, 1.0, 30.0)
    assert (overall.page, overall.requests, overall.per_second) == ("All requests", 12, 6.0)
    assert overall.p50_ms == 10.0


def test_load_aggregate_counts_every_answer_but_200_as_failed():
    sample = [
        *hits("A", [10.0, 11.0]),
        *hits("A", [12.0], status=302),
        *hits("A", [13.0], status=500),
        loadtest.Hit("A", 0, 0.001, "Connection refused"),
    ]

    rows, overall = loadtest.load_aggregate(sample, 1.0, ["A", "B"])

    assert (rows[0].requests, rows[0].failed, overall.failed) == (5, 3, 3)
    assert rows[1] == loadtest.LoadRow("B", 0, 0, 0.0, 0.0, 0.0, 0.0)
    assert loadtest.failures_describe(sample) == [
        "A: status 302",
        "A: status 500",
        "A: Connection refused",
    ]


def test_load_table_has_a_row_per_page_and_one_overall():
    rows, overall = loadtest.load_aggregate(hits("A", [10.0, 30.0]), 1.0, ["A"])
    table = loadtest.load_table(rows, overall)

    assert table.splitlines()[2].startswith("A ")
    assert table.splitlines()[-1].startswith("All requests")


def test_user_loop_asks_for_the_pages_in_turn_until_time_is_up():
    ticks = iter(range(100))
    asked, recorded = [], []

    def fetch(path):
        asked.append(path)
        if path == "/b":
            raise ConnectionRefusedError("refused")
        return Response(200, {}, b"", 0.01)

    loadtest.user_loop(
        fetch,
        [("A", "/a"), ("B", "/b"), ("C", "/c")],
        until=5,
        start=1,
        hits=recorded,
        clock=lambda: next(ticks),
    )

    assert asked == ["/b", "/c", "/a", "/b", "/c"]
    assert [hit.status for hit in recorded] == [0, 200, 200, 0, 200]
    assert recorded[0].error == "refused"


def test_load_run_runs_every_user_until_the_time_is_up():
    calls = []

    def fetch(path):
        calls.append(path)
        return Response(200, {}, b"", 0.0)

    recorded, seconds = loadtest.load_run([fetch, fetch], [("A", "/a")], 0.05)

    assert recorded and all(hit.status == 200 for hit in recorded)
    assert len(recorded) == len(calls)
    assert seconds >= 0.05


@pytest.mark.django_db(transaction=True)
def test_session_logs_in_through_the_form_behind_a_tls_proxy(live_server, monkeypatch, desk):
    # The loopback client says it came over HTTPS, as a TLS proxy in front of gunicorn would.
    monkeypatch.setattr(settings, "SECURE_PROXY_SSL_HEADER", ("HTTP_X_FORWARDED_PROTO", "https"))
    port = int(live_server.url.rsplit(":", 1)[1])
    session = loopback.Session(port)

    session.login("desk", "pw")

    assert "sessionid" in session.cookies
    assert session.get("/").status == 200
    session.close()


@pytest.mark.django_db(transaction=True)
def test_session_login_refuses_a_wrong_password(live_server, monkeypatch, desk):
    monkeypatch.setattr(settings, "SECURE_PROXY_SSL_HEADER", ("HTTP_X_FORWARDED_PROTO", "https"))
    session = loopback.Session(int(live_server.url.rsplit(":", 1)[1]))

    with pytest.raises(loopback.HarnessError, match="Logging in as desk failed"):
        session.login("desk", "wrong")
