"""A Google service account for tests: a fresh RSA key and a JSON key file whose token endpoint we choose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_EMAIL = "boardsheet@emulated-project.iam.gserviceaccount.com"


@pytest.fixture(scope="module")
def private_key_pem() -> str:
    """A fresh RSA private key, PEM (PKCS#8); one per module, generating one takes a while."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode()


def write_key_file(tmp_path: Path, pem: str, token_uri: str) -> Path:
    """A service-account JSON key file whose token endpoint is `token_uri`."""
    info = {
        "type": "service_account",
        "project_id": "emulated-project",
        "private_key_id": "0123456789abcdef",
        "private_key": pem,
        "client_email": CLIENT_EMAIL,
        "client_id": "100000000000000000001",
        "token_uri": token_uri,
    }
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(info))
    return path


ACCOUNTS_PROJECT = "bench-project"


def account_key_file(tmp_path: Path, pem: str, email: str, token_uri: str) -> Path:
    """A service-account key file acting as `email`, its tokens granted by `token_uri`."""
    info = {
        "type": "service_account",
        "project_id": ACCOUNTS_PROJECT,
        "private_key_id": "0123456789abcdef",
        "private_key": pem,
        "client_email": email,
        "client_id": "100000000000000000001",
        "token_uri": token_uri,
    }
    path = tmp_path / f"{email.split('@', maxsplit=1)[0]}.json"
    path.write_text(json.dumps(info))
    return path
