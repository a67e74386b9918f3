"""Azurite, the Azure Storage emulator, for the tests of the Azure Blob Storage backend.

One Azurite blob service is started for the whole test session on a free port of the loopback
address, with its data in a temporary folder, and stopped at the end. It comes from the node
packages (`make install` runs `npm ci`): where they are not installed the tests that need it
are skipped with the reason, except under CI (the CI variable set), where they fail instead,
so that CI never passes without having run them.
"""

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from azure.storage.blob import BlobServiceClient, ContainerClient

AZURITE = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "azurite-blob"
# Azurite's well-known development account: public, the same in every copy of the emulator.
ACCOUNT_NAME = "devstoreaccount1"
ACCOUNT_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
START_SECONDS = 30


@dataclass(frozen=True)
class Azurite:
    """A running Azurite blob service and the container made for this test session."""

    endpoint: str
    container: str

    def connection_string(self, *, key: str = ACCOUNT_KEY) -> str:
        """Return the connection string of the development account, with `key`."""
        return (
            f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT_NAME};AccountKey={key};"
            f"BlobEndpoint={self.endpoint};"
        )

    def container_client(self) -> ContainerClient:
        """Return a client of the session's container, to look at what the application stored."""
        service = BlobServiceClient.from_connection_string(self.connection_string())
        return service.get_container_client(self.container)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def azurite(tmp_path_factory) -> Iterator[Azurite]:
    """Run Azurite's blob service for the session, with a fresh container; stop it after."""
    if not AZURITE.exists():
        reason = f"Azurite is not installed at {AZURITE}: run make install (npm ci)."
        if os.environ.get("CI"):
            pytest.fail(f"{reason} CI must run the tests of Azure Blob Storage.")
        pytest.skip(reason)
    port = _free_port()
    location = tmp_path_factory.mktemp("azurite")
    log = location / "azurite.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(AZURITE),
                "--silent",
                "--skipApiVersionCheck",
                "--loose",
                "--disableTelemetry",
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                str(port),
                "--location",
                str(location),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _port_open(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Azurite did not start on port {port}:\n{log.read_text()}")
            time.sleep(0.1)
        running = Azurite(
            endpoint=f"http://127.0.0.1:{port}/{ACCOUNT_NAME}",
            container=f"evidence-{uuid.uuid4().hex[:12]}",
        )
        service = BlobServiceClient.from_connection_string(running.connection_string())
        service.create_container(running.container)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
