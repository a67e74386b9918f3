"""Ways to lose the database in a test: a simulated outage, and a relay that can be cut."""

import contextlib
import socket
import threading
from unittest import mock

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError


@contextlib.contextmanager
def database_down():
    """Make every database connection fail as an unreachable server does."""

    def refuse(self):
        raise OperationalError("connection refused: the database server is not answering")

    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", refuse):
        yield


class Relay:
    """A TCP relay on a loopback port in front of a real server, that can be cut and restored.

    Cutting it closes every relayed connection and the listening port, as a stopped database
    server does: open connections break and new ones are refused at once. Restoring it listens
    on the same port again.
    """

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> "Relay":
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()
        return self

    def stop(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
            listener, self._listener = self._listener, None
        for sock in [*sockets, *([listener] if listener else [])]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self._sockets.update({client, upstream})
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
