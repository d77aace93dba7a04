"""Downloads under faults: a local HTTP server on 127.0.0.1 stands in for the canonical hosts.

Every test points the helper's file registry at the local server, so the real code path runs
(``urlopen``, sockets, timeouts), never the network. Each fault must end in the helper's clear
``DatasetError`` and leave nothing (no partial, no temporary file) in the Keras cache.
The server stops by itself at the end of each test; a stalled response waits at most a few
seconds for it.
"""

from __future__ import annotations

import hashlib
import re
import http.server
import threading
from pathlib import Path

import pytest

import zerotoall as zta
from zerotoall import datasets

CSV = "data-01-test-score.csv"
MNIST = "train-images-idx3-ubyte.gz"
CSV_BODY = b"73,80,75,152\n93,88,93,185\n"
MNIST_BODY = bytes(range(256)) * 12_000  # about 3 MB: enough for a progress line to move
STALL_LIMIT_S = 5  # a stalled response never outlives the test by more than this


class _Host:
    """Serves ``/<mode>/<name>``; ``mode`` picks the behaviour, ``requests`` logs every hit."""

    def __init__(self):
        self.files = {CSV: CSV_BODY, MNIST: MNIST_BODY}
        self.requests: list[str] = []
        self.failures_left = 0  # for mode "flaky": fail this many times, then serve the file
        self.stop = threading.Event()
        host = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_GET(self):
                host.requests.append(self.path)
                _, mode, name = self.path.split("/", 2)
                body = host.files.get(name)
                if mode == "missing" or body is None:
                    self.send_error(404, "Not Found")
                    return
                if mode == "flaky" and host.failures_left > 0:
                    host.failures_left -= 1
                    self.send_error(503, "Service Unavailable")
                    return
                if mode == "wrong":
                    body = body[:-2] + b"0\n"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if mode == "truncated":
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True  # hang up before Content-Length is reached
                    return
                if mode == "stall":
                    self.wfile.write(body[:10])
                    self.wfile.flush()
                    host.stop.wait(STALL_LIMIT_S)  # silent; the client's timeout must fire first
                    return
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def serve(self, monkeypatch, mode: str) -> None:
        """Point every registry entry at this host, in ``mode``, with the served file's hash."""
        registry = {
            name: (f"{self.url}/{mode}/{name}", hashlib.sha256(body).hexdigest())
            for name, body in self.files.items()
        }
        monkeypatch.setattr(datasets, "FILES", registry)


@pytest.fixture
def host(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv("ZEROTOALL_DATA", raising=False)
    monkeypatch.setattr(datasets, "DOWNLOAD_TIMEOUT_S", 0.5)
    monkeypatch.setattr(datasets, "RETRY_DELAY_S", 0, raising=False)
    server = _Host()
    server.thread.start()
    yield server
    server.stop.set()
    server.server.shutdown()
    server.server.server_close()
    server.thread.join(timeout=STALL_LIMIT_S)


def _cache_files() -> list[str]:
    folder = datasets.cache_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _fails_clearly(name: str, *fragments: str) -> str:
    with pytest.raises(zta.DatasetError) as info:
        zta.dataset_path(name)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    assert _cache_files() == [], "a failed download must leave nothing in the cache"
    return message


def test_download_from_the_local_host(host, monkeypatch):
    host.serve(monkeypatch, "ok")
    path = zta.dataset_path(CSV)
    assert path == datasets.cache_dir() / CSV and path.read_bytes() == CSV_BODY
    assert _cache_files() == [CSV]
    assert host.requests == [f"/ok/{CSV}"]


def test_mnist_download_shows_progress(host, monkeypatch, capsys):
    host.serve(monkeypatch, "ok")
    assert zta.dataset_path(MNIST).read_bytes() == MNIST_BODY
    err = capsys.readouterr().err
    assert f"Downloading {MNIST}:" in err
    percents = [int(p) for p in re.findall(r"MB \((\d+)%\)", err)]
    assert len(percents) >= 10 and percents == sorted(set(percents)), err[-300:]
    assert err.endswith(f"\rDownloading {MNIST}: 3.1/3.1 MB (100%)\n"), err[-300:]
    capsys.readouterr()
    zta.dataset_path(CSV)  # the small CSV files download quietly
    assert "Downloading" not in capsys.readouterr().err


def test_transient_failure_is_retried_once(host, monkeypatch, capsys):
    host.serve(monkeypatch, "flaky")
    host.failures_left = 1
    assert zta.dataset_path(CSV).read_bytes() == CSV_BODY
    assert host.requests == [f"/flaky/{CSV}"] * 2
    assert "trying once more" in capsys.readouterr().err
    assert _cache_files() == [CSV]


def test_persistent_server_error_gives_up_after_one_retry(host, monkeypatch):
    host.serve(monkeypatch, "flaky")
    host.failures_left = 5
    _fails_clearly(CSV, "HTTP Error 503", f"{host.url}/flaky/{CSV}", str(datasets.cache_dir()))
    assert len(host.requests) == 2


def test_404_is_not_retried(host, monkeypatch):
    host.serve(monkeypatch, "missing")
    message = _fails_clearly(CSV, "HTTP Error 404", f"{host.url}/missing/{CSV}", "ZEROTOALL_DATA")
    assert "Could not find or download" in message
    assert host.requests == [f"/missing/{CSV}"], "a missing file is not worth a second request"


def test_truncated_file(host, monkeypatch):
    host.serve(monkeypatch, "truncated")
    half = len(MNIST_BODY) // 2
    _fails_clearly(MNIST, f"the server sent {half} of {len(MNIST_BODY)} bytes")
    assert len(host.requests) == 2, "a dropped connection is retried once"


def test_stalled_server_times_out(host, monkeypatch):
    host.serve(monkeypatch, "stall")
    _fails_clearly(CSV, "the server sent nothing for 0.5 s", "timed out")
    assert len(host.requests) == 2, "a timeout is retried once"


def test_wrong_hash(host, monkeypatch):
    host.serve(monkeypatch, "ok")
    url, _ = datasets.FILES[CSV]
    monkeypatch.setitem(datasets.FILES, CSV, (url, "0" * 64))
    message = _fails_clearly(CSV, "corrupt and was deleted", "0" * 64, hashlib.sha256(CSV_BODY).hexdigest())
    assert "Try again later" in message
    assert host.requests == [f"/ok/{CSV}"], "the same bytes again would not help"


def test_no_temporary_file_is_visible_while_downloading(host, monkeypatch):
    """The target name appears only once complete: a crash mid-download cannot leave it half-written."""
    seen: list[list[str]] = []
    real_fetch = datasets._fetch

    def spy(url, out, name, progress):
        real_fetch(url, out, name, progress)
        seen.append(_cache_files())  # the body is written, the hash not yet checked

    monkeypatch.setattr(datasets, "_fetch", spy)
    host.serve(monkeypatch, "ok")
    zta.dataset_path(CSV)
    assert len(seen) == 1 and CSV not in seen[0]
    assert [name for name in seen[0] if name.startswith(CSV + ".") and name.endswith(".part")]
    assert _cache_files() == [CSV]
